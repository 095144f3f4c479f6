"""Writing many rows fast, with nothing the database checks turned off.

Rows are plain tuples in the order of a table's `columns` (attribute names: `user_id`), with
Python values (datetimes, Decimals, dicts for JSON fields). They are buffered per table and
written `batch_size` at a time:

* PostgreSQL: `COPY ... FROM STDIN` through psycopg 3's `cursor.copy()` (JSON as text);
* other databases (SQLite): one `executemany` INSERT of the values each model field prepares
  for the database. Not `bulk_create`: it would stamp every `auto_now` / `auto_now_add` column
  with the load's own time, and the region needs its history spread over the past months.

Ids that other rows point at are taken from the table's own sequence on PostgreSQL (`nextval`,
a block at a time), so the sequence is right afterwards and a concurrent writer never collides;
on SQLite they follow the largest id in the table (SQLite serialises writers).

Foreign keys stay on. Django creates them DEFERRABLE INITIALLY DEFERRED, so within one
transaction the tables may be written in any order and are checked at the commit."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, models

Row = tuple


@dataclass
class Table:
    model: type[models.Model]
    columns: tuple[str, ...]
    rows: list[Row] = field(default_factory=list)
    written: int = 0

    @property
    def name(self) -> str:
        return self.model._meta.db_table


def _field(model: type[models.Model], attname: str) -> models.Field:
    for candidate in model._meta.concrete_fields:
        if candidate.attname == attname:
            return candidate
    raise LookupError(f"{model.__name__} has no column {attname}")


class Writer:
    """Buffers rows per table and writes them in batches on the default connection. The caller
    holds the transaction (one per chunk of the region)."""

    def __init__(self, batch_size: int, report: Callable[[str], None] | None = None) -> None:
        self.batch_size = batch_size
        self.tables: dict[type[models.Model], Table] = {}
        self.is_postgres = connection.vendor == "postgresql"
        self.report = report
        self.started = time.monotonic()
        self._converters: dict[type[models.Model], list[Callable]] = {}

    # --- rows in -------------------------------------------------------------------------

    def table(self, model: type[models.Model], columns: Iterable[str]) -> Table:
        table = self.tables.get(model)
        if table is None:
            table = self.tables[model] = Table(model, tuple(columns))
            for name in table.columns:
                _field(model, name)  # a misspelt column fails now, not in the database
        return table

    def add(self, model: type[models.Model], row: Row) -> None:
        table = self.tables[model]
        table.rows.append(row)
        if len(table.rows) >= self.batch_size:
            self._write(table)

    def flush(self) -> None:
        for table in self.tables.values():
            if table.rows:
                self._write(table)

    # --- counts --------------------------------------------------------------------------

    @property
    def total(self) -> int:
        return sum(t.written for t in self.tables.values())

    def rate(self) -> float:
        return self.total / max(time.monotonic() - self.started, 1e-6)

    def count(self, model: type[models.Model]) -> int:
        table = self.tables.get(model)
        return table.written if table else 0

    # --- rows out ------------------------------------------------------------------------

    def _write(self, table: Table) -> None:
        rows, table.rows = table.rows, []
        if self.is_postgres:
            self._copy(table, rows)
        else:
            self._insert(table, rows)
        table.written += len(rows)

    def _copy(self, table: Table, rows: list[Row]) -> None:
        json_columns = [
            index
            for index, name in enumerate(table.columns)
            if isinstance(_field(table.model, name), models.JSONField)
        ]
        columns = ", ".join(connection.ops.quote_name(name) for name in self._db_columns(table))
        statement = f"COPY {connection.ops.quote_name(table.name)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for row in rows:
                if json_columns:
                    row = list(row)
                    for index in json_columns:
                        value = row[index]  # None: SQL NULL, as the ORM stores it
                        row[index] = (
                            None if value is None else json.dumps(value, ensure_ascii=False)
                        )
                copy.write_row(row)

    def _insert(self, table: Table, rows: list[Row]) -> None:
        converters = self._converters.get(table.model)
        if converters is None:
            fields = [_field(table.model, name) for name in table.columns]
            converters = self._converters[table.model] = [
                (lambda value, f=f: f.get_db_prep_save(value, connection)) for f in fields
            ]
        columns = ", ".join(connection.ops.quote_name(name) for name in self._db_columns(table))
        marks = ", ".join(["%s"] * len(table.columns))
        statement = (
            f"INSERT INTO {connection.ops.quote_name(table.name)} ({columns}) VALUES ({marks})"  # noqa: S608 - model tables
        )
        prepared = [
            [convert(value) for convert, value in zip(converters, row, strict=True)] for row in rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(statement, prepared)

    def _db_columns(self, table: Table) -> list[str]:
        return [_field(table.model, name).column for name in table.columns]


class Ids:
    """Ids for new rows of one table, reserved from the database a block at a time."""

    def __init__(self, model: type[models.Model], block: int) -> None:
        self.model = model
        self.block = max(block, 1)
        self.free: list[int] = []
        self.next_sqlite: int | None = None

    def take(self) -> int:
        if not self.free:
            self.free = self._reserve()
            self.free.reverse()
        return self.free.pop()

    def forget(self) -> None:
        """After a commit (SQLite): the next id is read from the table again."""
        self.next_sqlite = None
        self.free = []

    def _reserve(self) -> list[int]:
        table = self.model._meta.db_table
        pk = self.model._meta.pk.column
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [connection.ops.quote_name(table), pk, self.block],
                )
                return [row[0] for row in cursor.fetchall()]
            if self.next_sqlite is None:
                quoted = connection.ops.quote_name(table)
                cursor.execute(
                    f"SELECT COALESCE(MAX({connection.ops.quote_name(pk)}), 0) FROM {quoted}"  # noqa: S608
                )
                self.next_sqlite = cursor.fetchone()[0] + 1
        start = self.next_sqlite
        self.next_sqlite += self.block
        return list(range(start, start + self.block))
