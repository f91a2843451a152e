import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template

from kpis.icons import (
    ASSURANCE_ICONS,
    VARIATION_ICONS,
    assurance_icon_svg,
    variation_icon_svg,
)
from kpis.spc.model import ASSURANCES
from kpis.spc.model import VARIATION_ICONS as ENGINE_VARIATION_ICONS

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup):
    return ET.fromstring(markup)  # noqa: S314 (markup drawn by kpis.icons, not user input)


def visible_text(svg):
    return "".join(t.text for t in svg.iter(f"{SVG}text"))


def arrow(svg):
    """+1 when the arrow sits above the centre, -1 below, 0 without one."""
    (polygon,) = list(svg.iter(f"{SVG}polygon")) or [None]
    if polygon is None:
        return 0
    tip_y = float(polygon.get("points").split()[0].split(",")[1])
    return 1 if tip_y < 24 else -1


def ring(svg):
    return svg.find(f"{SVG}circle").get("stroke")


def test_every_engine_icon_has_a_drawing():
    assert set(VARIATION_ICONS) == set(ENGINE_VARIATION_ICONS)
    assert set(ASSURANCE_ICONS) == set(ASSURANCES)


@pytest.mark.parametrize(
    ("icon", "label", "text", "direction", "colour"),
    [
        ("common_cause", "Common cause variation", "C", 0, "#A6A6A6"),
        ("improvement_high", "Special cause variation — improvement (high values)", "H+", 1, "#00B0F0"),
        ("improvement_low", "Special cause variation — improvement (low values)", "L+", -1, "#00B0F0"),
        ("concern_high", "Special cause variation — concern (high values)", "H!", 1, "#E46C0A"),
        ("concern_low", "Special cause variation — concern (low values)", "L!", -1, "#E46C0A"),
        (
            "neutral_high",
            "Special cause variation — neither improvement nor concern (high values)",
            "H",
            1,
            "#490092",
        ),
        (
            "neutral_low",
            "Special cause variation — neither improvement nor concern (low values)",
            "L",
            -1,
            "#490092",
        ),
    ],
)
def test_variation_icon_says_what_it_means_in_words_letters_and_shape(icon, label, text, direction, colour):
    svg = parse(variation_icon_svg(icon))

    assert svg.get("role") == "img"
    assert svg.get("aria-label") == label
    assert svg.find(f"{SVG}title").text == label
    assert visible_text(svg) == text
    assert arrow(svg) == direction
    assert ring(svg) == colour


def test_variation_icons_differ_without_colour():
    looks = {
        (visible_text(parse(variation_icon_svg(i))), arrow(parse(variation_icon_svg(i))))
        for i in VARIATION_ICONS
    }

    assert len(looks) == len(VARIATION_ICONS)


@pytest.mark.parametrize(
    ("assurance", "letter", "colour", "words"),
    [
        ("consistent_pass", "P", "#00B0F0", "consistently meet the target"),
        ("consistent_fail", "F", "#E46C0A", "consistently fail to meet the target"),
        ("inconsistent", "?", "#A6A6A6", "hit or miss"),
    ],
)
def test_assurance_icon_has_a_letter_a_colour_and_a_label(assurance, letter, colour, words):
    svg = parse(assurance_icon_svg(assurance))

    assert svg.get("role") == "img"
    assert words in svg.get("aria-label")
    assert svg.find(f"{SVG}title").text == svg.get("aria-label")
    assert visible_text(svg) == letter
    assert ring(svg) == colour


def test_assurance_letters_are_distinct():
    letters = [visible_text(parse(assurance_icon_svg(a))) for a in ASSURANCE_ICONS]

    assert len(set(letters)) == len(letters)


def test_missing_icons_draw_a_labelled_placeholder():
    variation = parse(variation_icon_svg(None))
    assurance = parse(assurance_icon_svg(None))

    assert "not enough data points" in variation.get("aria-label")
    assert "no target" in assurance.get("aria-label")
    assert visible_text(variation) == visible_text(assurance) == "–"


def test_icons_contain_no_script_and_take_a_size():
    markup = variation_icon_svg("concern_low", size=24) + assurance_icon_svg("consistent_fail", size=24)

    assert "<script" not in markup
    assert "on" + "load" not in markup
    svg = parse(variation_icon_svg("concern_low", size=24))
    assert (svg.get("width"), svg.get("height"), svg.get("viewBox")) == ("24", "24", "0 0 48 48")


def test_unknown_icons_are_refused():
    with pytest.raises(ValueError, match="variation icon"):
        variation_icon_svg("special")
    with pytest.raises(ValueError, match="assurance"):
        assurance_icon_svg("maybe")


def test_template_tags_render_the_svg_unescaped():
    html = Template(
        "{% load spc_icons %}{% spc_variation_icon icon size=32 %}{% spc_assurance_icon assurance %}"
    ).render(Context({"icon": "improvement_low", "assurance": "inconsistent"}))

    assert html.count("<svg") == 2
    assert "&lt;svg" not in html
    assert 'width="32"' in html
    assert "improvement (low values)" in html and "hit or miss" in html


def icons_tag(variation_icon, assurance, **context):
    template = Template("{% load spc_icons %}{% spc_icons variation_icon assurance %}")
    return template.render(Context({"variation_icon": variation_icon, "assurance": assurance, **context}))


def test_spc_icons_tag_renders_both_icons():
    html = icons_tag("concern_high", "consistent_fail")

    assert html.count("<svg") == 2
    assert 'aria-label="Special cause variation — concern (high values)"' in html
    assert "consistently fail to meet the target" in html


def test_spc_icons_tag_handles_a_chart_without_icons():
    html = icons_tag(None, "")

    assert html.count("<svg") == 2
    assert "No variation icon" in html and "No assurance icon" in html


def test_printed_icons_are_named_images_with_their_meaning_as_alt_text():
    html = icons_tag("concern_high", None, printing=True)

    assert "<svg" not in html and html.count("<img") == 2
    assert 'src="print-image:icon-frame/variation/concern_high"' in html
    assert 'src="print-image:icon-frame/assurance/none"' in html
    assert 'alt="Special cause variation — concern (high values)"' in html
