"""Studies: :class:`Study`, :class:`StudyDirection`, and the module-level study functions."""

from ._api import create_study, delete_study, get_all_study_names, get_all_study_summaries, load_study
from ._direction import StudyDirection
from ._study import ObjectiveFuncType, Study
from ._summary import StudySummary

__all__ = [
    "Study", "StudyDirection", "StudySummary", "ObjectiveFuncType", "create_study", "load_study", "delete_study",
    "get_all_study_names", "get_all_study_summaries",
]
