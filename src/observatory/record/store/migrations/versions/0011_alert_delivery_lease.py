"""the alert delivery lease: which deliverer is sending an alert, and until when

Two deliverers (two `observatory watch run`, or one and the server) each sent every
undelivered alert; one now claims an alert before sending it, and the other leaves it alone
until the claim expires (watch/deliver.py).

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('alerts') as batch_op:
        batch_op.add_column(sa.Column('delivery_claimed_by', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('delivery_claimed_until', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('alerts') as batch_op:
        batch_op.drop_column('delivery_claimed_until')
        batch_op.drop_column('delivery_claimed_by')
