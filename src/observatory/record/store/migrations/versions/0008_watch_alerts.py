"""watch sources, entries seen, alert rules (with the built-in global ones), alerts, visits

Revision ID: 0008
Revises: 0006
"""
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'watch_sources',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('url', sa.String(length=1000), nullable=False, unique=True),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('outlet', sa.String(length=300), nullable=True),
        sa.Column('every_seconds', sa.Integer(), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('allowed_hosts', sa.JSON(), nullable=False),
        sa.Column('etag', sa.String(length=300), nullable=True),
        sa.Column('last_modified', sa.String(length=100), nullable=True),
        sa.Column('next_poll_at', sa.DateTime(), nullable=True),
        sa.Column('last_polled_at', sa.DateTime(), nullable=True),
        sa.Column('last_ok_at', sa.DateTime(), nullable=True),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False))
    op.create_table(
        'watch_seen',
        sa.Column('source_id', sa.Integer(),
                  sa.ForeignKey('watch_sources.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('entry_key', sa.String(length=64), primary_key=True),
        sa.Column('document_sha256', sa.String(length=64), nullable=True),
        sa.Column('seen_at', sa.DateTime(), nullable=False))
    rules = op.create_table(
        'alert_rules',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('owner', sa.String(length=120), nullable=True, index=True),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False))
    op.create_table(
        'alerts',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('owner', sa.String(length=120), nullable=True, index=True),
        sa.Column('incident_id', sa.Integer(), nullable=False, index=True),
        sa.Column('kinds', sa.JSON(), nullable=False),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('detail', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False, index=True),
        sa.Column('read_at', sa.DateTime(), nullable=True),
        sa.Column('delivered_at', sa.DateTime(), nullable=True),
        sa.Column('delivery_attempts', sa.Integer(), nullable=False),
        sa.Column('delivery_error', sa.Text(), nullable=True))
    op.create_table(
        'visits',
        sa.Column('key', sa.String(length=200), primary_key=True),
        sa.Column('seen_at', sa.DateTime(), nullable=False))
    # The changes every monitor wants, on until removed: global rules (owner NULL).
    now = datetime(2026, 11, 29)
    op.bulk_insert(rules, [{'owner': None, 'kind': k, 'params': {}, 'enabled': True,
                            'created_at': now}
                           for k in ('dispute', 'contested', 'denied', 'fatalities', 'status')])


def downgrade() -> None:
    for table in ('visits', 'alerts', 'alert_rules', 'watch_seen', 'watch_sources'):
        op.drop_table(table)
