"""64-bit alert ids and the incident ids they name (alerts grow with every ingest; an incident
id is 64-bit since 0004), and alert rule ids

PostgreSQL's SERIAL columns are 32-bit, behind an API that accepts any 63-bit alert id
(`before`, `up_to`); SQLite's INTEGER PRIMARY KEY is 64-bit already, so it needs nothing.

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# (table, column, its sequence or None)
COLUMNS = [('alerts', 'id', 'alerts_id_seq'), ('alerts', 'incident_id', None),
           ('alert_rules', 'id', 'alert_rules_id_seq')]


def _alter(kind: type) -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table, column, sequence in COLUMNS:
        op.alter_column(table, column, type_=kind(), existing_nullable=False)
        if sequence:
            op.execute(f'ALTER SEQUENCE {sequence} AS {"bigint" if kind is sa.BigInteger else "integer"}')


def upgrade() -> None:
    _alter(sa.BigInteger)


def downgrade() -> None:
    _alter(sa.Integer)
