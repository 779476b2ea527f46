"""full-text search index over incidents, documents and claims (issue 16); incidents' districts

SQLite: an FTS5 table; PostgreSQL: a table with a GIN index on its 'simple' tsvector. Both
hold folded words (record/search.py), so the same query text finds the same rows.

Revision ID: 0006
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None
# The facets' counts read these indexes instead of the whole table.
INDEXES = (('ix_incidents_admin2', 'admin2'), ('ix_incidents_type', 'sub_event_type'),
           ('ix_incidents_actor', 'actor1'), ('ix_incidents_confidence', 'confidence'))


def upgrade() -> None:
    # Incidents merged before districts were kept take the district of the event that gave
    # their place (the search index itself is filled when the server starts).
    op.execute("UPDATE incidents SET admin2 = (SELECT e.admin2 FROM events e JOIN incident_events ie "
               "ON ie.event_id = e.id WHERE ie.incident_id = incidents.id AND e.admin2 IS NOT NULL "
               "AND e.gazetteer_id = incidents.gazetteer_id ORDER BY e.id LIMIT 1) "
               "WHERE admin2 IS NULL AND gazetteer_id IS NOT NULL")
    op.create_table('incident_outlets',
                    sa.Column('incident_id', sa.Integer(),
                              sa.ForeignKey('incidents.id', ondelete='CASCADE'), primary_key=True),
                    sa.Column('outlet', sa.Text(), primary_key=True))
    op.create_index('ix_incident_outlets_outlet', 'incident_outlets', ['outlet'])
    op.create_table('incident_background',
                    sa.Column('incident_id', sa.Integer(),
                              sa.ForeignKey('incidents.id', ondelete='CASCADE'), primary_key=True))
    op.create_index('ix_incidents_origins', 'incidents', ['origins', 'date_start'])
    op.create_index('ix_incidents_fatalities', 'incidents', ['fatalities_low', 'date_start'])
    for name, column in INDEXES:
        op.create_index(name, 'incidents', [column])
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
    for name, _ in INDEXES:
        op.drop_index(name, 'incidents')
    op.drop_index('ix_incidents_fatalities', 'incidents')
    op.drop_index('ix_incidents_origins', 'incidents')
    op.drop_table('incident_background')
    op.drop_table('incident_outlets')
    if op.get_bind().dialect.name == 'sqlite':
        op.drop_table('search_refs')
    op.drop_table('search_index')
