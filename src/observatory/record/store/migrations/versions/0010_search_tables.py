"""one full-text table per kind (incidents, documents, claims), keyed by the row's own id;
an index on incidents' update time (issue 16: search on 100,000 incidents)

One shared index had to read each match's stored kind and incident id to filter and join;
a search matching a third of the store paid that on every facet. Keyed by the row's id
(`rowid` on both databases), a match joins its row directly. PostgreSQL keeps each body's
tsvector stored, so a phrase search rechecks it instead of parsing the body again. Rows move
over as they are; nothing is indexed again.

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None
TABLES = ('incident_search', 'document_search', 'claim_search')
_NEWEST = 'date_start DESC NULLS LAST, id DESC'
PG_ORDERS = {'ix_incidents_newest': _NEWEST,
             'ix_incidents_most_origins': f'origins DESC, {_NEWEST}',
             'ix_incidents_most_killed': f'coalesce(fatalities_low, -1) DESC, {_NEWEST}'}
PARENTS = {'incident_search': 'incidents', 'document_search': 'documents',
           'claim_search': 'claims'}


def upgrade() -> None:
    # What the app's "new since your last visit" and its cached facets read.
    op.create_index('ix_incidents_updated', 'incidents', ['updated_at'])
    sqlite = op.get_bind().dialect.name == 'sqlite'
    if not sqlite:
        # The list's orders (queries.py's _order), ties newest first with undated last:
        # PostgreSQL reads a page from these instead of sorting every incident (SQLite, which
        # sorts NULL first, reads the date and origins orders from 0006's indexes).
        for name, keys in PG_ORDERS.items():
            op.execute(f"CREATE INDEX {name} ON incidents ({keys})")
    for name in TABLES:
        if sqlite:
            op.execute(f"CREATE VIRTUAL TABLE {name} USING fts5(body, tokenize='unicode61')")
        else:
            # A merge deletes the incident it absorbs: its words go with it.
            op.execute(f"CREATE TABLE {name} (rowid BIGINT PRIMARY KEY REFERENCES "
                       f"{PARENTS[name]}(id) ON DELETE CASCADE, body TEXT NOT NULL, "
                       f"words tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED)")
            op.execute(f"CREATE INDEX ix_{name}_words ON {name} USING gin (words)")
    if sqlite:
        # The newest row of each item (search_refs finds an item's rows in the FTS table).
        latest = "(SELECT max(row) AS row, ref FROM search_refs WHERE kind = '{}' GROUP BY ref)"
        op.execute("INSERT INTO incident_search (rowid, body) SELECT s.incident_id, s.body "
                   f"FROM {latest.format('incident')} r JOIN search_index s ON s.rowid = r.row "
                   "JOIN incidents i ON i.id = s.incident_id")
        op.execute("INSERT INTO document_search (rowid, body) SELECT d.id, s.body "
                   f"FROM {latest.format('document')} r JOIN search_index s ON s.rowid = r.row "
                   "JOIN documents d ON d.key = r.ref")
        op.execute("INSERT INTO claim_search (rowid, body) SELECT c.id, s.body "
                   f"FROM {latest.format('claim')} r JOIN search_index s ON s.rowid = r.row "
                   "JOIN documents d ON d.key = substr(r.ref, 1, instr(r.ref, '#') - 1) "
                   "JOIN claims c ON c.document_id = d.id "
                   "AND c.key = substr(r.ref, instr(r.ref, '#') + 1)")
        op.drop_table('search_refs')
    else:
        op.execute("INSERT INTO incident_search (rowid, body) SELECT DISTINCT ON (s.incident_id) "
                   "s.incident_id, s.body FROM search_index s JOIN incidents i "
                   "ON i.id = s.incident_id WHERE s.kind = 'incident' "
                   "ORDER BY s.incident_id, s.id DESC")
        op.execute("INSERT INTO document_search (rowid, body) SELECT DISTINCT ON (d.id) d.id, "
                   "s.body FROM search_index s JOIN documents d ON d.key = s.ref "
                   "WHERE s.kind = 'document' ORDER BY d.id, s.id DESC")
        op.execute("INSERT INTO claim_search (rowid, body) SELECT DISTINCT ON (c.id) c.id, "
                   "s.body FROM search_index s JOIN documents d "
                   "ON d.key = split_part(s.ref, '#', 1) JOIN claims c "
                   "ON c.document_id = d.id AND c.key = substr(s.ref, strpos(s.ref, '#') + 1) "
                   "WHERE s.kind = 'claim' ORDER BY c.id, s.id DESC")
    op.drop_table('search_index')


def downgrade() -> None:
    # 0006's tables come back empty; the server fills them from the store when it starts.
    for name in TABLES:
        op.drop_table(name)
    op.drop_index('ix_incidents_updated', 'incidents')
    if op.get_bind().dialect.name != 'sqlite':
        for name in PG_ORDERS:
            op.drop_index(name, 'incidents')
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("CREATE VIRTUAL TABLE search_index USING fts5(body, kind UNINDEXED, "
                   "ref UNINDEXED, incident_id UNINDEXED, tokenize='unicode61')")
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
