"""an index on incidents' governorate and id

The API's incident pages in id order (paged by cursor) filtered by governorate walked the
primary key and dropped other governorates' rows: a governorate whose incidents are the newest
(or rare) read nearly the whole table for one page. From this index a page reads its own rows.

Revision ID: 0012
Revises: 0011
"""
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_incidents_admin1_id', 'incidents', ['admin1', 'id'])


def downgrade() -> None:
    op.drop_index('ix_incidents_admin1_id', 'incidents')
