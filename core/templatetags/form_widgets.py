from django import template
from django.forms import BoundField, CheckboxInput, CheckboxSelectMultiple, RadioSelect, Select
from django.utils.safestring import SafeString

register = template.Library()


def _css_class_for(field: BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, CheckboxSelectMultiple | RadioSelect):
        css = ""
    elif isinstance(widget, Select):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return css.strip()


@register.simple_tag
def styled_widget(field: BoundField) -> SafeString:
    """The field's widget with the Bootstrap class that fits it."""
    existing = field.field.widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {_css_class_for(field)}".strip()})


@register.filter
def is_checkbox(field: BoundField) -> bool:
    return isinstance(field.field.widget, CheckboxInput)


@register.filter
def is_choice_list(field: BoundField) -> bool:
    """Radio buttons or a list of checkboxes: a group with a legend, not a single control."""
    return isinstance(field.field.widget, CheckboxSelectMultiple | RadioSelect)


@register.filter
def check_options(field: BoundField) -> list:
    """The field's radio buttons or checkboxes, each with Bootstrap's class for a check."""
    invalid = " is-invalid" if field.errors else ""
    options = list(field.subwidgets)
    for option in options:
        attrs = option.data["attrs"]
        attrs["class"] = f"{attrs.get('class', '')} form-check-input{invalid}".strip()
    return options
