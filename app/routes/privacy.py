"""A person's rights over their data: download everything held about them, delete the account."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from app.deps import CurrentUser, DbSession
from app.privacy.export import export_file

router = APIRouter()


@router.get("/account/export")
def download_my_data(user: CurrentUser, db: DbSession) -> Response:
    """The subject access export (UK GDPR article 15) as one JSON file."""
    headers = {
        "Content-Disposition": 'attachment; filename="qi-skills-my-data.json"',
        "Cache-Control": "private, no-store",
    }
    return Response(export_file(db, user), media_type="application/json", headers=headers)
