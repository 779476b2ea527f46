"""incident grid cells for the merge step's spatial blocking

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 14:16:28.432305
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cell', sa.String(length=24), nullable=True))
        batch_op.create_index('ix_incidents_cell', ['cell', 'date_start'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index('ix_incidents_cell')
        batch_op.drop_column('cell')

