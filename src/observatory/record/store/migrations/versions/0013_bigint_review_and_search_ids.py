"""64-bit ids where 0005 and 0006 made 32-bit ones on PostgreSQL

0004 widened the row ids that grow; the review and search tables came after it and named
incidents and documents with PostgreSQL's 32-bit INTEGER, so a row naming an id past 2^31
would fail there. SQLite's INTEGER is 64-bit already, so it needs nothing.

Revision ID: 0013
Revises: 0012
"""
from alembic import op
import sqlalchemy as sa

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

# (table, column, nullable)
COLUMNS = [('reviews', 'incident_id', True), ('reviews', 'document_id', True),
           ('incident_background', 'incident_id', False),
           ('incident_outlets', 'incident_id', False)]


def _alter(kind: type) -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table, column, nullable in COLUMNS:
        op.alter_column(table, column, type_=kind(), existing_nullable=nullable)


def upgrade() -> None:
    _alter(sa.BigInteger)


def downgrade() -> None:
    _alter(sa.Integer)
