"""Users router: reads account requests from an admin, writes accounts and their one-time
tokens (the same operations as `observatory user`)."""
from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field

from observatory.desk.api.common import Text
from observatory.desk.auth import Principal, require
from observatory.errors import AccountError
from observatory.record import accounts
from observatory.record.store import Store


class NewUser(BaseModel):
    name: Text = Field(min_length=1, max_length=120)
    role: Literal[accounts.ROLES]  # type: ignore[valid-type]
    password: Text | None = Field(default=None, min_length=10, max_length=1000)


class RoleChange(BaseModel):
    role: Literal[accounts.ROLES]  # type: ignore[valid-type]


def router(store: Store) -> APIRouter:
    api = APIRouter(tags=["users"])

    def run(action) -> Any:
        try:
            with store.session() as session, session.begin():
                return action(session)
        except AccountError as exc:
            raise HTTPException(404 if str(exc).startswith("no ") else 422, str(exc)) from None

    @api.get("/users")
    def users(who: Principal = Depends(require("admin"))) -> dict[str, Any]:
        with store.session() as session:
            return {"items": [{"name": u.name, "role": u.role,
                               "created_at": u.created_at.isoformat(),
                               "revoked": u.revoked_at is not None}
                              for u in accounts.users(session)]}

    @api.post("/users", status_code=201)
    def add(body: NewUser, who: Principal = Depends(require("admin"))) -> dict[str, Any]:
        """Create an account; its API token is in this answer and nowhere else."""
        token = run(lambda s: accounts.add_user(s, body.name, role=body.role, by=who.name,
                                                password=body.password))
        return {"name": body.name, "role": body.role, "token": token}

    @api.post("/users/{name}/role")
    def role(name: str, body: RoleChange,
             who: Principal = Depends(require("admin"))) -> dict[str, Any]:
        run(lambda s: accounts.set_role(s, name, body.role, by=who.name))
        return {"name": name, "role": body.role}

    @api.post("/users/{name}/revoke")
    def revoke(name: str, who: Principal = Depends(require("admin"))) -> dict[str, Any]:
        run(lambda s: accounts.revoke(s, name, by=who.name))
        return {"name": name, "revoked": True}

    return api
