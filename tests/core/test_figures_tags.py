"""The figures tags: a row of values read beside the columns they belong to."""

from django.template import Context, Template


def test_zip_pairs_each_value_with_its_column_for_stacked_rows():
    template = Template(
        "{% load figures %}{% for term, value in terms|zip:values %}[{{ term }}={{ value }}]"
        "{% endfor %}"
    )
    rendered = template.render(Context({"terms": ["Autumn", "Spring"], "values": ["4", "—"]}))
    assert rendered == "[Autumn=4][Spring=—]"


def test_zip_stops_at_the_shorter_list():
    template = Template("{% load figures %}{{ terms|zip:values|length }}")
    assert template.render(Context({"terms": ["Autumn"], "values": ["4", "5"]})) == "1"
