"""Statements the ORM builds and compiles once per process, then runs with new values.

A detail's relations (four querysets in one UNION ALL) cost ~5 ms of CPU to build and
compile and 0.2 ms to run. The shape of such a statement never changes, only the object
it is about, so `prepared_rows` has the ORM write it once, with a placeholder value
standing for each parameter, and afterwards only swaps the values in. The ORM still writes
every statement (so it stays right on SQLite and PostgreSQL), and rows get the same
converters Django applies.

On PostgreSQL each statement is also prepared on the server (`PREPARE` once per connection,
then `EXECUTE`), so the planner's work is done once too: planning a detail's UNION ALL took
longer than running it (1.7 ms against 0.3 ms on the benchmark database). A statement the
server refuses to prepare is run as above, and so is every statement when
`SERVER_PREPARED_STATEMENTS` is off (behind a transaction-pooling PgBouncer).

Only statements that do not depend on who is asking may be shared: callers key them by
everything the queryset depends on besides the values (the language, the readers'
visibility), and pass no key for anything else. A queryset with modeltranslation's
rewriting on (which rebuilds rows in Python) is run as usual, never prepared.

Private internals this module depends on (docs/architecture.md, "Private APIs we depend on"):
- `QuerySet._fields` and `Query.selected` / `extra_select` / `values_select` /
  `annotation_select`: the order of the selected columns, checked against the order asked for;
- `Query.get_compiler(alias).as_sql()`, `SQLCompiler.select`, `col_count` and
  `get_converters()`, converters called as `(value, expression, connection)`: what
  `SQLCompiler.results_iter` and `apply_converters` do, re-done for a statement run by hand;
- modeltranslation's `QuerySet._rewrite` flag: a rewriting queryset is never prepared.
If any of them changes, statements fall back to the ORM (still right, only slower):
`tests/portal/test_prepared.py` fails when a production statement is not prepared and reused.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from itertools import count

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connections
from django.db.models import QuerySet
from django.dispatch import receiver

# Values no real parameter takes: a negative id, a string with NUL characters.
_INT_PLACEHOLDERS = count(-(2**62), -1)


@dataclass(frozen=True)
class Prepared:
    alias: str
    sql: str
    params: tuple
    slots: tuple[tuple[int, str], ...]  # (position in params, name of the value)
    width: int  # selected columns (a statement may select more, for its ordering)
    # position -> (converters, expression), as SQLCompiler.get_converters gives them.
    converters: dict

    def run(self, values: dict) -> list[tuple]:
        params = list(self.params)
        for position, name in self.slots:
            params[position] = values[name]
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            name = _server_statement(connection, cursor, self)
            if name is None:
                cursor.execute(self.sql, params)
            else:
                cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})" if params else f"EXECUTE {name}",
                               params)
            rows = cursor.fetchall()
        if not self.converters:
            return [row[: self.width] for row in rows]
        return [self._convert(list(row[: self.width]), connection) for row in rows]

    def _convert(self, row: list, connection) -> tuple:
        # SQLCompiler.apply_converters, with this thread's connection.
        for position, (converters, expression) in self.converters.items():
            value = row[position]
            for converter in converters:
                value = converter(value, expression, connection)
            row[position] = value
        return tuple(row)


# Parameter types a server-side statement declares, by the Python type of the value.
# (bool before int: a bool is an int; TextChoices members are str.)
_SERVER_TYPES = ((bool, "boolean"), (int, "bigint"), (str, "text"), (float, "double precision"),
                 (datetime.timedelta, "interval"), (type(None), "text"))
_server_names = count(1)


def _server_type(value) -> str | None:
    return next((name for kind, name in _SERVER_TYPES if isinstance(value, kind)), None)


def _server_sql(prepared: Prepared) -> str | None:
    """`PREPARE … AS` for `prepared`, or None if a parameter's type is not one we declare."""
    types = [_server_type(param) for param in prepared.params]
    if None in types:
        return None
    numbers = count(1)
    body = re.sub(r"%%|%s", lambda match: "%" if match.group() == "%%" else f"${next(numbers)}", prepared.sql)
    declared = f" ({', '.join(types)})" if types else ""
    return f"{declared} AS {body}"


def _server_statement(connection, cursor, prepared: Prepared) -> str | None:
    """The name of `prepared` on this PostgreSQL connection, preparing it on first use; None
    where statements are not server-side (SQLite) or the server refused this one.

    `PREPARE` goes through the driver's own cursor: it is part of opening the connection to
    this statement, not of the request, so query counts and logs show only the `EXECUTE`. It is
    not transactional, and a refusal is undone to a savepoint so that it cannot end the
    request's transaction."""
    if connection.vendor != "postgresql" or not settings.SERVER_PREPARED_STATEMENTS:
        return None
    raw = connection.connection
    state = connection.__dict__.get("_portal_statements")
    if state is None or state[0] is not raw:  # a new connection has none of the old ones
        state = connection.__dict__["_portal_statements"] = (raw, {})
    statements, key = state[1], (prepared.sql, prepared.params)
    if key not in statements:
        statements[key] = None
        text = _server_sql(prepared)
        if text is not None:
            name = f"portal_{next(_server_names)}"
            driver = cursor.cursor
            guarded = not connection.get_autocommit()
            try:
                if guarded:
                    driver.execute("SAVEPOINT portal_prepare")
                driver.execute(f"PREPARE {name}{text}")
                statements[key] = name
            except connection.Database.Error:
                if guarded:
                    driver.execute("ROLLBACK TO SAVEPOINT portal_prepare")
            finally:
                if guarded:
                    driver.execute("RELEASE SAVEPOINT portal_prepare")
    return statements[key]


# key -> its statement, or None for a queryset that cannot be prepared (run as usual).
_prepared: dict[Hashable, Prepared | None] = {}


def _placeholder(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return next(_INT_PLACEHOLDERS)
    if isinstance(value, str):
        return f"\x00placeholder-{-next(_INT_PLACEHOLDERS)}\x00"
    raise TypeError(f"Only int and str values can be prepared, not {type(value).__name__}.")


def _prepare(queryset: QuerySet, placeholders: dict) -> Prepared | None:
    if getattr(queryset, "_rewrite", False):
        return None  # modeltranslation rebuilds each row in Python (fallbacks, column order)
    query = queryset.query
    selected = list(query.selected or [*query.extra_select, *query.values_select, *query.annotation_select])
    if queryset._fields and selected[: len(queryset._fields)] != list(queryset._fields):
        return None  # the statement selects its columns in another order than asked
    compiler = query.get_compiler(queryset.db)
    sql, params = compiler.as_sql()
    slots = tuple((position, name) for position, param in enumerate(params)
                  for name, placeholder in placeholders.items() if param == placeholder)
    if {name for _position, name in slots} != set(placeholders):
        return None  # a value went into the statement transformed: it cannot be swapped
    converters = compiler.get_converters([column[0] for column in compiler.select[: compiler.col_count]])
    return Prepared(queryset.db, sql, tuple(params), slots, compiler.col_count, converters)


def prepared_rows(key: Hashable | None, build: Callable[..., QuerySet], **values) -> list[tuple]:
    """The rows (tuples) of `build(**values)`, a values_list() queryset.

    With a `key`, the statement is built once with placeholders and reused for every call
    with the same key (the project has one database). A key of None builds and runs it as
    usual.
    """
    if key is None:
        return [tuple(row) for row in build(**values)]
    queryset_key = (key, tuple(values))
    if queryset_key not in _prepared:
        placeholders = {name: _placeholder(value) for name, value in values.items()}
        _prepared[queryset_key] = _prepare(build(**placeholders), placeholders)
    prepared = _prepared[queryset_key]
    if prepared is None:
        return [tuple(row) for row in build(**values)]
    return prepared.run(values)


@receiver(setting_changed)
def _forget_on_setting_change(*, setting, **kwargs):
    # Tests switch databases, languages and URLconfs; statements made under old ones go.
    if setting in {"DATABASES", "LANGUAGES", "LANGUAGE_CODE", "INSTALLED_APPS"}:
        _prepared.clear()
