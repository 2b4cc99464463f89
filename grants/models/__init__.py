"""The domain of a discretionary fund. Only grants.services writes these rows."""

from .applications import Application, CostLine, FinancingType, MotionKind, Recommendation, RevisionRequest
from .funds import STATES, Aim, FiscalYear, Fund, FundRole, Meeting, TieRule
from .money import LedgerEntry, Payout
from .organisations import BankAccountChange, Organisation
from .records import AuditEvent, Document
from .reports import Report
from .steering import AgendaItem, ConflictDeclaration, Decision, Motion, Vote

__all__ = [
    "STATES", "AgendaItem", "Aim", "Application", "AuditEvent", "BankAccountChange", "ConflictDeclaration",
    "CostLine", "Decision", "Document", "FinancingType", "FiscalYear", "Fund", "FundRole", "LedgerEntry",
    "Meeting", "Motion", "MotionKind", "Organisation", "Payout", "Recommendation", "Report", "RevisionRequest",
    "TieRule", "Vote",
]  # fmt: skip
