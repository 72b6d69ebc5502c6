"""The measurement lab: paste data, see the chart and its signals; save, annotate, drill."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.deps import CurrentUser, DbSession, OptionalUser, PostedForm, RowId
from app.models import Dataset, DrillAttempt, User
from app.services import audit, datasets
from app.services.drill import drill_views, make_drill, score
from app.services.lab import CHART_NAMES, PROFILE_NAMES, LabChart, lab_chart
from app.services.lab_input import LabInput, parse_lab_input
from app.templating import render

router = APIRouter(prefix="/lab")
FormStr = Annotated[str, Form()]
RESULT_FRAGMENT = "partials/_lab_result.html"
EXAMPLE = {
    "values_text": "\n".join(
        str(v)
        for v in [62, 58, 65, 60, 57, 63, 61, 59, 64, 60, 58, 62, 70, 72, 69, 74, 71, 73, 75, 72]
    ),
    "labels_text": "\n".join(f"Week {i}" for i in range(1, 21)),
    "chart": "run",
    "profile": "ihi",
    "direction": "higher_is_better",
}


def _context(
    data: LabInput, title: str = "", annotations: dict[int, str] | None = None, **extra: Any
) -> dict[str, Any]:
    drawn = lab_chart(data, title, annotations) if data.ok else None
    return {
        "title": title,
        "data": data,
        "chart": drawn.view if isinstance(drawn, LabChart) else None,
        "too_few": drawn.too_few if isinstance(drawn, LabChart) else None,
        "runs_note": drawn.runs_note if isinstance(drawn, LabChart) else None,
        "chart_problem": drawn if isinstance(drawn, str) else None,
        "chart_names": CHART_NAMES,
        "profile_names": PROFILE_NAMES,
        **extra,
    }


def lab_form(
    values: FormStr = "",
    labels: FormStr = "",
    denominators: FormStr = "",
    chart: FormStr = "run",
    profile: FormStr = "ihi",
    direction: FormStr = "neither",
    target: FormStr = "",
    freeze: FormStr = "",
    parts: FormStr = "",
    exclude: FormStr = "",
) -> LabInput:
    """The lab's fields, parsed once for drawing, saving and updating alike."""
    return parse_lab_input(
        values, labels, denominators, chart, profile, direction, target, freeze, parts, exclude
    )


LabForm = Annotated[LabInput, Depends(lab_form)]


def check_title(data: LabInput, title: str) -> None:
    if not title.strip():
        data.errors["title"] = "Give the dataset a name, for example “Sepsis antibiotics < 1 hour”"
    elif len(title) > 200:
        data.errors["title"] = "Keep the name to 200 characters or fewer"


@router.get("", response_class=HTMLResponse)
def lab(request: Request, example: bool = False) -> HTMLResponse:
    data = parse_lab_input(**EXAMPLE) if example else LabInput()
    return render(request, "pages/lab.html", _context(data))


@router.post("", response_class=HTMLResponse)
def draw(request: Request, data: LabForm) -> HTMLResponse:
    status = 200 if data.ok else 422
    return render(
        request, "pages/lab.html", _context(data), fragment=RESULT_FRAGMENT, status_code=status
    )


@router.post("/datasets", response_class=HTMLResponse)
def save_dataset(
    request: Request, user: CurrentUser, db: DbSession, data: LabForm, title: FormStr = ""
) -> Response:
    check_title(data, title)
    if data.errors:
        context = _context(data, title=title)
        return render(request, "pages/lab.html", context, status_code=422)
    dataset = datasets.save(db, user, data, title.strip())
    return RedirectResponse(f"/lab/datasets/{dataset.id}", status_code=303)


@router.get("/datasets", response_class=HTMLResponse)
def my_datasets(request: Request, user: CurrentUser, db: DbSession) -> HTMLResponse:
    return render(request, "pages/lab_datasets.html", {"datasets": datasets.list_owned(db, user)})


def _owned(db: DbSession, user: User, dataset_id: int) -> Dataset:
    dataset = datasets.owned(db, user, dataset_id)
    if dataset is None:  # someone else's, or none: the same 404, and an audit row
        audit.refused(db, user, f"dataset:{dataset_id}", 404)
        raise HTTPException(status_code=404)
    return dataset


def _dataset_page(
    request: Request, db: DbSession, dataset: Dataset, data: LabInput | None = None, **extra: Any
) -> HTMLResponse:
    data = data or parse_lab_input(**datasets.as_input(dataset))
    notes = datasets.annotations(db, dataset)
    context = {
        **_context(data, dataset.title, {n.point_index: n.text for n in notes}),
        "dataset": dataset,
        "notes": notes,
        "note_errors": {},
        "note_form": {},
        **extra,
    }
    status = 422 if extra.get("note_errors") or (data.errors and request.method == "POST") else 200
    return render(request, "pages/lab_dataset.html", context, status_code=status)


@router.get("/datasets/{dataset_id}", response_class=HTMLResponse)
def dataset_page(
    request: Request, dataset_id: RowId, user: CurrentUser, db: DbSession
) -> HTMLResponse:
    return _dataset_page(request, db, _owned(db, user, dataset_id))


@router.post("/datasets/{dataset_id}", response_class=HTMLResponse)
def update_dataset(
    request: Request,
    dataset_id: RowId,
    user: CurrentUser,
    db: DbSession,
    data: LabForm,
    title: FormStr = "",
) -> Response:
    dataset = _owned(db, user, dataset_id)
    check_title(data, title)
    if data.errors:
        return _dataset_page(request, db, dataset, data)
    datasets.save(db, user, data, title.strip(), dataset)
    return RedirectResponse(f"/lab/datasets/{dataset.id}", status_code=303)


@router.post("/datasets/{dataset_id}/annotations", response_class=HTMLResponse)
def add_annotation(
    request: Request,
    dataset_id: RowId,
    user: CurrentUser,
    db: DbSession,
    point: FormStr = "",
    text: FormStr = "",
) -> Response:
    dataset = _owned(db, user, dataset_id)
    data = parse_lab_input(**datasets.as_input(dataset))
    try:
        number = int(point)
    except ValueError:
        number = 0
    problem = datasets.annotate(db, dataset, number, text, len(data.values))
    if problem:
        errors = {"point" if "point" in problem else "text": problem}
        form = {"point": point, "text": text}
        return _dataset_page(request, db, dataset, data, note_errors=errors, note_form=form)
    return RedirectResponse(f"/lab/datasets/{dataset.id}#annotations", status_code=303)


@router.post("/datasets/{dataset_id}/annotations/{annotation_id}/delete")
def delete_annotation(
    dataset_id: RowId, annotation_id: RowId, user: CurrentUser, db: DbSession
) -> Response:
    dataset = _owned(db, user, dataset_id)
    if not datasets.remove_annotation(db, dataset, annotation_id):
        audit.refused(db, user, f"annotation:{annotation_id}", 404)
        raise HTTPException(status_code=404)
    return RedirectResponse(f"/lab/datasets/{dataset.id}#annotations", status_code=303)


@router.get("/drill", response_class=HTMLResponse)
def drill(request: Request, seed: int | None = None) -> Response:
    if seed is None:
        return RedirectResponse(f"/lab/drill?seed={secrets.randbelow(10**9)}", status_code=303)
    if not 0 <= seed < 10**9:
        raise HTTPException(status_code=404)
    charts = make_drill(seed)
    context = {"seed": seed, "charts": drill_views(charts, reveal=False), "errors": {}}
    return render(request, "pages/drill.html", context)


@router.post("/drill", response_class=HTMLResponse)
def drill_answers(
    request: Request,
    db: DbSession,
    user: OptionalUser,
    form: PostedForm,
) -> HTMLResponse:
    try:
        seed = int(str(form.get("seed", "")))
    except ValueError:
        seed = -1
    if not 0 <= seed < 10**9:
        raise HTTPException(status_code=422)
    charts = make_drill(seed)
    answers = [str(form.get(f"chart-{i}", "")) for i in range(1, len(charts) + 1)]
    if any(a not in ("s", "n") for a in answers):
        errors = {
            f"chart-{i}": f"Say whether chart {i} shows a signal"
            for i, a in enumerate(answers, start=1)
            if a not in ("s", "n")
        }
        views = drill_views(charts, reveal=False)  # not answered yet: still nothing given away
        context = {"seed": seed, "charts": views, "answers": answers, "errors": errors}
        return render(request, "pages/drill.html", context, status_code=422)
    result = score(charts, answers)
    if user is not None:
        db.add(
            DrillAttempt(
                user_id=user.id,
                seed=seed,
                profile="ihi",
                answers="".join(answers),
                hits=result.hits,
                misses=result.misses,
                false_alarms=result.false_alarms,
                correct_rejections=result.correct_rejections,
            )
        )
        db.commit()
    context = {
        "seed": seed,
        "charts": drill_views(charts, reveal=True),
        "answers": answers,
        "truth": ["s" if c.has_signal else "n" for c in charts],
        "score": result,
        "errors": {},
    }
    return render(request, "pages/drill.html", context)
