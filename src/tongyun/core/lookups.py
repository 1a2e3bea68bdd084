"""`<choice field>__in` written with the values in the SQL, for fields with partial indexes on SQLite.

SQLite uses a partial index only when the query's WHERE repeats the index's condition, and a bound
parameter never repeats a literal: `state IN (?, ?, …)` does not imply the index's `state IN ('acknowledged',
…)`, so on 100,000 incidents the board read every incident of the district through another index (~100 ms
per column) instead of the ~2,000 open ones. PostgreSQL sees literals already (Django quotes the values
into the statement's text there). Only values that are the field's own choices are written, sorted as the
indexes list them (`sorted(OPEN_STATES)`); anything else is bound as before.
"""

from django.db.models.lookups import In


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class ChoicesInLiteral(In):
    """`field__in` whose values, when all of them are choices of the field, are written into the SQL sorted."""

    lookup_name = "in"

    def process_rhs(self, compiler, connection):
        if connection.vendor == "sqlite" and self.rhs_is_direct_value():
            values = {v for v in self.rhs if v is not None}
            allowed = {str(value) for value, _label in self.lhs.output_field.flatchoices}
            # (a "%" would be taken for a parameter's mark: such a value is bound)
            if values and all(isinstance(v, str) and "%" not in v for v in values) and values <= allowed:
                return "(" + ", ".join(_literal(str(v)) for v in sorted(values)) + ")", []
        return super().process_rhs(compiler, connection)


def write_choices_into_sql(field) -> None:
    """Register ChoicesInLiteral as `field`'s `in` lookup (this field only: Django's per-instance lookups)."""
    field.register_lookup(ChoicesInLiteral)
