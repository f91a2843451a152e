import json
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory

from kpis.charts import (
    CHART_CONFIG,
    PLOTLY_JS_PATH,
    POINT_STYLES,
    figure_data,
    figure_html,
    xmr_figure,
    xmr_spec,
)
from kpis.spc import analyse
from kpis.views.static import plotly_js, plotly_js_version
from pmf.formatting import format_month

# 15 months of common cause variation around 50 (mean 50.2, limits 42.8 to 57.6).
BASE = [50, 52, 49, 51, 53, 48, 50, 52, 47, 51, 50, 49, 52, 48, 51]
SHIFT_BELOW = BASE + [48, 49, 48, 47, 49, 48, 47]
SPIKE_HIGH = BASE + [62]
FALLING = BASE + [50, 49, 48, 47, 46, 45]
TWO_OF_THREE_HIGH = BASE + [52, 56, 57]


def months(n, start=date(2023, 4, 1)):
    out = []
    year, month = start.year, start.month
    for _ in range(n):
        out.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def chart(values, *, unit="count", **options):
    chart_options = {k: options.pop(k) for k in ("trajectory", "recalculations", "decimals") if k in options}
    result = analyse(values, **options)
    return result, xmr_figure(
        result, months=months(len(values)), title="Test measure", unit=unit, **chart_options
    )


def traces(fig):
    return {t.meta: t for t in fig.data}


def test_xmr_figure_colours_and_symbols_by_point_type():
    result, fig = chart(SHIFT_BELOW)
    by_meta = traces(fig)

    concern = by_meta["points:special_cause_concern"]
    common = by_meta["points:common_cause"]
    assert concern.marker.color == "#E46C0A"
    assert concern.marker.symbol == "square"
    assert common.marker.color == "#A6A6A6"
    assert common.marker.symbol == "circle"
    assert list(concern.x) == months(len(SHIFT_BELOW))[15:]
    assert list(concern.y) == SHIFT_BELOW[15:]
    assert len(common.x) == 15


def test_xmr_figure_improvement_and_neutral_points_have_their_own_symbols():
    _, improvement = chart(SPIKE_HIGH)
    _, neutral = chart(SHIFT_BELOW, direction="neutral")

    spike = traces(improvement)["points:special_cause_improvement"]
    assert spike.marker.color == "#00B0F0"
    assert spike.marker.symbol == "diamond"
    assert list(spike.y) == [62]
    low = traces(neutral)["points:special_cause_neutral_low"]
    assert low.marker.color == "#490092"
    assert low.marker.symbol == "triangle-down"
    assert "points:special_cause_concern" not in traces(neutral)


def test_point_styles_tell_types_apart_without_colour():
    symbols = [style["symbol"] for style in POINT_STYLES.values()]

    assert len(set(symbols)) == len(symbols)
    assert POINT_STYLES["special_cause_neutral_high"]["symbol"] == "triangle-up"


@pytest.mark.parametrize(
    ("values", "options", "meta", "words"),
    [
        (
            SHIFT_BELOW,
            {},
            "points:special_cause_concern",
            "Special cause — concern: a run of 6 points below the mean",
        ),
        (
            SPIKE_HIGH,
            {},
            "points:special_cause_improvement",
            "Special cause — improvement: outside the process limits (above the upper limit)",
        ),
        (FALLING, {}, "points:special_cause_concern", "Special cause — concern: a trend of 6 points falling"),
        (
            TWO_OF_THREE_HIGH,
            {},
            "points:special_cause_improvement",
            "Special cause — improvement: 2 of 3 points close to the upper limit",
        ),
        (BASE, {}, "points:common_cause", "Common cause variation"),
        (
            SHIFT_BELOW,
            {"rule_set": "plotthedots"},
            "points:special_cause_concern",
            "Special cause — concern: a run of 7 points below the mean",
        ),
    ],
)
def test_xmr_figure_hover_names_the_rule_in_words(values, options, meta, words):
    _, fig = chart(values, **options)

    hover = traces(fig)[meta].text[-1]

    assert words in hover
    assert f"<b>{format_month(months(len(values))[-1])}</b>" in hover


def test_xmr_figure_draws_each_segment_separately_after_a_recalculation():
    result, fig = chart(
        SHIFT_BELOW, recalculate_at=[8], recalculations=[(8, "New triage pathway from November")]
    )
    by_meta = traces(fig)

    mean = by_meta["mean"]
    assert mean.y[8] is None and mean.x[8] is None
    assert set(mean.y[:8]) == {result.segments[0].mean}
    assert set(mean.y[9:]) == {result.segments[1].mean}
    limits = by_meta["limits"]
    assert [y for y in limits.y if y is not None and y == result.segments[0].upl]
    assert [y for y in limits.y if y is not None and y == result.segments[1].lpl]
    assert sum(y is None for y in limits.y) == 3  # a break per recalculation, per line, and between the lines
    (shape,) = fig.layout.shapes
    assert shape.x0 == shape.x1
    assert str(months(22)[7]) < str(shape.x0) < str(months(22)[8])  # between the segments' months
    labels = [a.text for a in fig.layout.annotations]
    assert "Recalculated: New triage pathway from November" in labels


def test_xmr_figure_shortens_a_long_reason_and_keeps_it_in_the_hover():
    reason = "Counting changed to include the urgent treatment centre at the county hospital site"
    _, fig = chart(SHIFT_BELOW, recalculate_at=[8], recalculations=[(8, reason)])

    (note,) = [a for a in fig.layout.annotations if a.text.startswith("Recalculated")]

    assert note.text.endswith("…") and len(note.text) < len(reason)
    assert reason in note.hovertext


def test_xmr_figure_draws_target_and_trajectory_labelled():
    trajectory = [None] * 10 + [55.0] * 12
    _, fig = chart(SHIFT_BELOW, target=56, trajectory=trajectory)
    by_meta = traces(fig)

    target = by_meta["target"]
    assert list(target.y) == [56, 56]
    assert target.line.color == "#DA291C" and target.line.dash == "dash"
    plan = by_meta["trajectory"]
    assert plan.line.dash == "dot"
    assert list(plan.y) == trajectory
    labels = [a.text for a in fig.layout.annotations]
    assert "Target 56" in labels
    assert "Trajectory" in labels


def test_xmr_figure_without_target_or_trajectory_has_no_such_traces():
    _, fig = chart(SHIFT_BELOW)

    assert "target" not in traces(fig)
    assert "trajectory" not in traces(fig)


def test_xmr_figure_with_twelve_points_has_no_limits_and_says_why():
    _, fig = chart(BASE[:12], target=55)
    by_meta = traces(fig)

    assert "limits" not in by_meta
    assert "near_limits" not in by_meta
    assert "mean" in by_meta and "target" in by_meta
    assert "13 are needed, 12 so far" in fig.layout.title.subtitle.text
    assert traces(fig)["points:common_cause"].text[0].endswith("No process limits yet (too few points)")


def test_xmr_figure_with_thirteen_points_draws_limits():
    _, fig = chart(BASE[:13])

    assert {"limits", "near_limits"} <= set(traces(fig))
    assert not fig.layout.title.subtitle.text


def test_xmr_figure_shows_missing_values_as_gaps():
    values = [*SHIFT_BELOW[:10], None, *SHIFT_BELOW[11:]]
    _, fig = chart(values)
    by_meta = traces(fig)

    assert by_meta["values"].y[10] is None
    assert by_meta["values"].connectgaps is False
    marked = [x for meta, t in by_meta.items() if meta.startswith("points:") for x in t.x]
    assert months(len(values))[10] not in marked
    assert len(marked) == len(values) - 1


def test_xmr_figure_writes_values_in_their_units():
    percent = [60 + (i % 4) * 1.1 for i in range(15)]
    _, fig = chart(percent, unit="percent", target=78)
    assert fig.layout.yaxis.ticksuffix == "%"
    assert "<br>60.0%<br>" in traces(fig)["points:common_cause"].text[0]
    assert traces(fig)["target"].name == "Target 78.0%"

    _, seconds = chart([420 + i * 3 for i in range(14)], unit="seconds")
    assert seconds.layout.yaxis.tickmode == "array"
    assert all(":" in label for label in seconds.layout.yaxis.ticktext)
    hover = next(t for t in seconds.data if t.meta.startswith("points:")).text[0]
    assert "<br>7:00<br>" in hover

    _, money = chart([1200 + i for i in range(14)], unit="currency")
    assert (money.layout.yaxis.tickprefix, money.layout.yaxis.ticksuffix) == ("£", "k")
    assert "£1,200k" in next(t for t in money.data if t.meta.startswith("points:")).text[0]

    _, count = chart([12000 + i * 7 for i in range(14)], unit="count")
    assert count.layout.yaxis.tickformat == ","
    assert "12,000" in next(t for t in count.data if t.meta.startswith("points:")).text[0]


def test_xmr_figure_decimals_override_the_precision():
    _, fig = chart(BASE, unit="percent", decimals=0, target=56)

    assert "<br>50%<br>" in traces(fig)["points:common_cause"].text[0]
    assert "Target 56%" in [a.text for a in fig.layout.annotations]


def test_xmr_figure_has_a_calm_fixed_layout():
    _, fig = chart(SHIFT_BELOW)
    layout = fig.layout

    assert layout.height == 360
    assert layout.paper_bgcolor == "white" and layout.plot_bgcolor == "white"
    assert layout.font.family.startswith("Arial")
    assert layout.legend.orientation == "h" and layout.legend.y < 0
    assert CHART_CONFIG["displaylogo"] is False
    assert CHART_CONFIG["responsive"] is True


def test_chart_config_never_offers_to_upload_the_data():
    assert CHART_CONFIG["showSendToCloud"] is False
    assert "sendChartToCloud" in CHART_CONFIG["modeBarButtonsToRemove"]


def test_xmr_figure_escapes_text_people_typed():
    result = analyse(BASE)
    fig = xmr_figure(
        result,
        months=months(15),
        title="Beds <b>open</b>",
        unit="count",
        recalculations=[(5, "<img src=x>")],
    )

    assert fig.layout.title.text == "Beds &lt;b&gt;open&lt;/b&gt;"
    assert all("<img" not in (a.text or "") for a in fig.layout.annotations)


def test_xmr_figure_refuses_months_that_do_not_match_the_points():
    result = analyse(BASE)

    with pytest.raises(ValueError, match="14 months"):
        xmr_figure(result, months=months(14), title="x", unit="count")
    with pytest.raises(ValueError, match="trajectory"):
        xmr_figure(result, months=months(15), title="x", unit="count", trajectory=[1.0])


def test_xmr_figure_of_no_data_says_so():
    result = analyse([None, None, None])

    fig = xmr_figure(result, months=months(3), title="New measure", unit="percent")

    assert fig.layout.title.subtitle.text == "No data yet."
    assert not [t for t in fig.data if str(t.meta).startswith("points:")]


class _DivAttributes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.divs = []

    def handle_starttag(self, tag, attrs):
        if tag == "div":
            self.divs.append(dict(attrs))


def _parse_div(markup):
    parser = _DivAttributes()
    parser.feed(markup)
    (div,) = parser.divs
    return div


def test_figure_html_has_no_script_and_the_figure_round_trips():
    _, fig = chart(SHIFT_BELOW, target=56, recalculate_at=[8], recalculations=[(8, 'It\'s "new" & <odd>')])

    markup = figure_html(fig, div_id="chart-ae")

    assert "<script" not in markup.lower()
    div = _parse_div(markup)
    assert div["id"] == "chart-ae"
    assert div["class"] == "spc-chart"
    assert div["role"] == "figure"  # a figure: plotly puts its buttons inside
    assert div["aria-label"] == "Test measure: statistical process control chart"
    payload = json.loads(div["data-figure"])
    assert payload == json.loads(json.dumps(figure_data(fig)))
    assert payload["config"]["displaylogo"] is False
    assert [t["meta"] for t in payload["data"]] == [t.meta for t in fig.data]


def test_figure_html_cannot_be_broken_out_of():
    result = analyse(BASE)
    fig = xmr_figure(result, months=months(15), title="</div><script>alert(1)</script>", unit="count")

    markup = figure_html(fig, div_id='x" onclick="evil()', description="A 'quoted' description")

    assert "<script" not in markup.lower()
    assert markup.count("<div") == 1 and markup.endswith("></div>")
    div = _parse_div(markup)
    assert div["id"] == 'x" onclick="evil()'
    assert "onclick" not in div
    assert div["aria-label"] == "A 'quoted' description"


def test_a_chart_in_plain_data_draws_the_same_as_the_figure_object():
    result = analyse(SHIFT_BELOW, target=56, recalculate_at=[10])
    options = {
        "months": months(len(SHIFT_BELOW)),
        "title": "Four-hour <standard>",
        "unit": "percent",
        "trajectory": [50.0] * len(SHIFT_BELOW),
        "recalculations": [(10, "New pathway")],
    }

    plain = figure_data(xmr_spec(result, **options))

    assert plain == figure_data(xmr_figure(result, **options))
    assert plain["layout"]["template"]["layout"]  # plotly's default look travels with the figure
    assert plain["data"][0]["x"][0] == "2023-04-01"


def test_plotly_js_is_served_from_the_plotly_package_with_a_long_cache():
    request = RequestFactory().get("/static/plotly.min.js")

    response = plotly_js(request)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "max-age=31536000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
    assert response["ETag"] == f'"plotly-{plotly_js_version()}"'
    body = b"".join(response.streaming_content)
    assert body == PLOTLY_JS_PATH.read_bytes()


def test_plotly_js_answers_a_repeat_request_with_not_modified():
    request = RequestFactory().get(
        "/static/plotly.min.js", HTTP_IF_NONE_MATCH=f'"plotly-{plotly_js_version()}"'
    )

    assert plotly_js(request).status_code == 304
    assert plotly_js(RequestFactory().post("/static/plotly.min.js")).status_code == 405


def test_charts_js_draws_from_the_data_attribute_without_a_cdn():
    script = (Path(settings.BASE_DIR) / "static" / "js" / "charts.js").read_text()

    assert ".spc-chart" in script and "dataset.figure" in script
    assert "Plotly.newPlot" in script
    assert "http" not in script
