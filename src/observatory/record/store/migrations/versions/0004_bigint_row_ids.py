"""64-bit row ids where ids grow (documents, claims, events, incidents, their links); outlets
and origins as unbounded text (an outlet may list several sources)

PostgreSQL's SERIAL columns are 32-bit, behind an API that accepts any 63-bit cursor or
incident id; SQLite's INTEGER PRIMARY KEY is 64-bit already, so it needs nothing.

Revision ID: 0004
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# (table, column, its sequence or None)
COLUMNS = [('documents', 'id', 'documents_id_seq'), ('claims', 'id', 'claims_id_seq'),
           ('claims', 'document_id', None), ('events', 'id', 'events_id_seq'),
           ('events', 'document_id', None), ('incidents', 'id', 'incidents_id_seq'),
           ('incident_events', 'event_id', None), ('incident_events', 'incident_id', None),
           ('disputes', 'id', 'disputes_id_seq'), ('disputes', 'incident_id', None)]


def _alter(kind: type) -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table, column, sequence in COLUMNS:
        op.alter_column(table, column, type_=kind(), existing_nullable=False)
        if sequence:
            op.execute(f'ALTER SEQUENCE {sequence} AS {"bigint" if kind is sa.BigInteger else "integer"}')


TEXTS = [('documents', 'outlet', True), ('documents', 'origin', False), ('events', 'origin', False)]


def upgrade() -> None:
    _alter(sa.BigInteger)
    if op.get_bind().dialect.name == 'postgresql':
        for table, column, nullable in TEXTS:
            op.alter_column(table, column, type_=sa.Text(), existing_nullable=nullable)


def downgrade() -> None:
    _alter(sa.Integer)
    if op.get_bind().dialect.name == 'postgresql':
        for table, column, nullable in TEXTS:
            op.alter_column(table, column, type_=sa.String(300), existing_nullable=nullable)
