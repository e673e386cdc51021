from django.forms.renderers import TemplatesSetting


class SchoolFormRenderer(TemplatesSetting):
    """Render every form field with Bootstrap classes, its hint and its errors beside it."""

    field_template_name = "forms/field.html"
