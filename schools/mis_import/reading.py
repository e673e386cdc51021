"""Reading an uploaded file: its size, encoding and header, then one typed row at a time."""

import codecs
import csv
import datetime
import io
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email
from django.db import models

from schools.mis_import.layouts import NO, YES, Column, normalise
from schools.mis_import.plan import Plan, RowError

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 20_000


def max_bytes() -> int:
    return getattr(settings, "MIS_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_rows() -> int:
    return getattr(settings, "MIS_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def too_large_reason(size: int) -> str:
    return (
        f"file too large: {size / 1024 / 1024:.1f} MB; the limit is "
        f"{max_bytes() / 1024 / 1024:.1f} MB. Split it into smaller files."
    )


class Row:
    """One data row: typed accessors that record every problem instead of stopping at one."""

    def __init__(self, line: int, values: dict[str, str | None], errors: list[RowError]):
        self.line = line
        self.values = values
        self.errors = errors
        self.ok = True

    def fail(self, column: str, reason: str) -> None:
        self.ok = False
        self.errors.append(RowError(self.line, column, reason))

    def text(self, column: str) -> str | None:
        """The value, or None when the file has no such (optional) column."""
        return self.values.get(column)

    def required(self, column: str) -> str:
        value = self.values.get(column) or ""
        if not value:
            self.fail(column, f'column "{column}" is empty')
        return value

    def date(self, column: str) -> datetime.date | None:
        value = self.required(column)
        for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                return datetime.datetime.strptime(value, pattern).date()  # noqa: DTZ007
            except ValueError:
                continue
        if value:
            self.fail(column, f'bad date "{value}" in column "{column}": use DD/MM/YYYY')
        return None

    def yes_no(self, column: str) -> bool | None:
        value = self.values.get(column)
        if value is None:
            return None
        if value.casefold() in YES:
            return True
        if value.casefold() in NO:
            return False
        self.fail(column, f'"{value}" in column "{column}" is not Y or N')
        return None

    def choice(self, column: str, table: dict[str, str], default: str | None = None) -> str | None:
        value = self.values.get(column)
        if value is None:
            return None
        if not value and default is not None:
            return default
        found = table.get(normalise(value))
        if found is None:
            what = column.casefold()
            if value:
                self.fail(column, f'unknown {what} "{value}"')
            else:
                self.fail(column, f'column "{column}" is empty')
        return found

    def number(self, column: str, default: int) -> int | None:
        value = self.values.get(column)
        if value is None:
            return None
        if not value:
            return default
        if not value.isdigit() or not 1 <= int(value) <= 99:
            self.fail(column, f'"{value}" in column "{column}" is not a number from 1 to 99')
            return None
        return int(value)

    def email(self, column: str, *, required: bool) -> str | None:
        value = self.required(column) if required else self.values.get(column)
        if value:
            try:
                validate_email(value)
            except ValidationError:
                self.fail(column, f'invalid email "{value}" in column "{column}"')
        return value.lower() if required and value else value

    def validate(self, obj: models.Model, columns: dict[str, str], exclude: Iterable[str]) -> None:
        """The model's own field rules and clean(), without the per-row queries (foreign keys
        and uniqueness are checked against the prefetched data instead, and again by
        full_clean() when saving)."""
        for check in (lambda: obj.clean_fields(exclude=list(exclude)), obj.clean):
            try:
                check()
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    column = "" if name == NON_FIELD_ERRORS else columns.get(name, name)
                    self.fail(column, " ".join(messages))


def read_file(data: bytes, columns: tuple[Column, ...], plan: Plan) -> list[Row]:
    """Decode and split the file, matching its header to the layout. Problems with the file
    as a whole (size, encoding, header) stop here: no row can be trusted after them."""
    if len(data) > max_bytes():
        plan.errors.append(RowError(None, "", too_large_reason(len(data))))
        return []
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        plan.errors.append(
            RowError(
                line,
                "",
                f"wrong encoding: line {line} is not UTF-8. In Excel use "
                '"Save as… CSV UTF-8"; from the MIS choose UTF-8 when exporting.',
            )
        )
        return []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            plan.errors.append(RowError(1, "", "the file is empty"))
            return []
        index = _match_header(header, columns, plan)
        if plan.errors:
            return []
        rows: list[Row] = []
        line = reader.line_num + 1
        for values in reader:
            # A quoted value may span lines (addresses do): report where the record starts.
            start, line = line, reader.line_num + 1
            if not any(v.strip() for v in values):
                continue  # spreadsheets add empty rows at the end
            if len(values) != len(header) and any(v.strip() for v in values[len(header) :]):
                reason = (
                    f"this row has {len(values)} values but the header has {len(header)} "
                    "columns (a value with a comma in it needs quotes)"
                )
                plan.errors.append(RowError(start, "", reason))
            cells = {col.name: (values[i].strip() if i < len(values) else "") for col, i in index}
            rows.append(Row(start, cells, plan.errors))
    except csv.Error as exc:
        plan.errors.append(RowError(reader.line_num, "", f"not a readable CSV file: {exc}"))
        return []
    if len(rows) > max_rows():
        plan.errors.append(
            RowError(None, "", f"too many rows: {len(rows)}; the limit is {max_rows()}")
        )
        return []
    plan.rows = len(rows)
    return rows


def _match_header(
    header: list[str], columns: tuple[Column, ...], plan: Plan
) -> list[tuple[Column, int]]:
    by_name = {}
    for column in columns:
        for name in (column.name, *column.aliases):
            by_name[normalise(name)] = column
    index: dict[Column, int] = {}
    for position, raw in enumerate(header):
        column = by_name.get(normalise(raw.removeprefix("\ufeff")))
        if column is None:
            continue  # MIS exports carry extra columns we do not need
        if column in index:
            plan.errors.append(RowError(1, column.name, f'column "{column.name}" appears twice'))
        index[column] = position
    for column in columns:
        if column.required and column not in index:
            plan.errors.append(RowError(1, column.name, f'missing column "{column.name}"'))
    return list(index.items())
