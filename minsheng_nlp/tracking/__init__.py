"""Promise tracking across years: planned commitments against the results reported later.

``track(plans, results)`` → one :class:`TrackedPlan` per planned commitment, with its
verdict (``met``, ``not met``, ``unclear``, ``ambiguous``, ``no report found``), the
matched report and near-tied alternatives. Modules: ``measures`` (unit kinds and
scales), ``verdicts`` (comparator-aware verdicts), ``similarity`` (task wording),
``items`` (commitments of a document with focus and evidence), ``match`` (scores and
assignment), ``tracker`` (the entry points), ``table`` (the fulfilment table),
``gold`` (evaluation against hand-checked pairs).
"""
from .match import MatchSettings
from .records import Mention, Report, TrackedPlan
from .tracker import track, track_documents
from .verdicts import AMBIGUOUS, MET, NO_REPORT, NOT_MET, UNCLEAR, VERDICTS

__all__ = ["track", "track_documents", "TrackedPlan", "Report", "Mention", "MatchSettings",
           "MET", "NOT_MET", "UNCLEAR", "AMBIGUOUS", "NO_REPORT", "VERDICTS"]
