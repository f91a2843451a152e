from hypothesis import given
from hypothesis import strategies as st

from kpis.sparkline import sparkline_svg


def test_sparkline_draws_the_values_with_the_plan_and_marks_the_latest():
    svg = sparkline_svg([1.0, 2.0, 3.0], plan=2.0, label="Falls", width=104, height=24)
    assert svg.startswith('<svg class="sparkline"') and 'aria-label="Falls"' in svg
    # highest value at the top, lowest at the bottom, plan half-way
    assert '<polyline points="2.0,22.0 52.0,12.0 102.0,2.0"' in svg
    assert 'y1="12.0"' in svg and "stroke-dasharray" in svg
    assert '<circle cx="102.0" cy="2.0"' in svg


def test_a_missing_month_breaks_the_line_instead_of_joining_across_it():
    svg = sparkline_svg([1.0, 2.0, None, 3.0, 4.0])
    assert svg.count("<polyline") == 2


def test_no_values_give_an_empty_labelled_box_and_the_label_is_escaped():
    svg = sparkline_svg([None, None], label='<script>"x"</script>')
    assert "<polyline" not in svg and "<script>" not in svg and "&lt;script&gt;" in svg


@given(
    st.lists(st.one_of(st.none(), st.floats(-1e6, 1e6)), max_size=30),
    st.one_of(st.none(), st.floats(-1e6, 1e6)),
)
def test_every_point_lies_inside_the_box(values, plan):
    svg = sparkline_svg(values, plan=plan, width=120, height=28)
    for pair in svg.split('points="')[1:]:
        for point in pair.split('"')[0].split():
            x, y = map(float, point.split(","))
            assert 0 <= x <= 120 and 0 <= y <= 28
