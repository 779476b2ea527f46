"""full-text search index over incidents, documents and claims (issue 16)

SQLite: an FTS5 table; PostgreSQL: a table with a GIN index on its 'simple' tsvector. Both
hold folded words (record/search.py), so the same query text finds the same rows.

Revision ID: 0006
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("CREATE VIRTUAL TABLE search_index USING fts5(body, kind UNINDEXED, "
                   "ref UNINDEXED, incident_id UNINDEXED, tokenize='unicode61')")
        # FTS5 cannot look up its UNINDEXED columns; this side table finds an item's rows.
        op.create_table('search_refs',
                        sa.Column('row', sa.Integer(), primary_key=True),
                        sa.Column('kind', sa.String(length=10), nullable=False),
                        sa.Column('ref', sa.String(length=300), nullable=False))
        op.create_index('ix_search_refs_ref', 'search_refs', ['kind', 'ref'])
        return
    op.create_table('search_index',
                    sa.Column('id', sa.BigInteger(), sa.Identity(), primary_key=True),
                    sa.Column('kind', sa.String(length=10), nullable=False),
                    sa.Column('ref', sa.String(length=300), nullable=False),
                    sa.Column('incident_id', sa.BigInteger(), nullable=True),
                    sa.Column('body', sa.Text(), nullable=False))
    op.create_index('ix_search_index_ref', 'search_index', ['kind', 'ref'])
    op.execute("CREATE INDEX ix_search_index_body ON search_index "
               "USING gin (to_tsvector('simple', body))")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        op.drop_table('search_refs')
    op.drop_table('search_index')
