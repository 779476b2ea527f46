"""a partial index on the alerts not delivered yet

Each delivery run asks for the undelivered alerts, a few among every alert ever raised; it
read the whole table. The index holds only the undelivered ones.

Revision ID: 0014
Revises: 0013
"""
from alembic import op
import sqlalchemy as sa

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

UNDELIVERED = sa.text('delivered_at IS NULL')


def upgrade() -> None:
    op.create_index('ix_alerts_undelivered', 'alerts', ['id'], sqlite_where=UNDELIVERED,
                    postgresql_where=UNDELIVERED)


def downgrade() -> None:
    op.drop_index('ix_alerts_undelivered', 'alerts')
