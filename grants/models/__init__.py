"""The domain of a discretionary fund. Only grants.services writes these rows."""

from .applications import (  # noqa: F401
    Application,
    CostCategory,
    CostLine,
    FinancingType,
    InternalNote,
    MotionKind,
    Recommendation,
    RevisionRequest,
)
from .changes import ChangeRequest, Objection  # noqa: F401
from .funds import STATES, Aim, FiscalYear, Fund, FundPage, FundRole, Meeting, TieRule  # noqa: F401
from .instalments import Instalment  # noqa: F401
from .letter_texts import LetterTexts  # noqa: F401
from .money import LedgerEntry, Payout  # noqa: F401
from .organisations import BankAccountChange, Organisation, OrganisationInvitation  # noqa: F401
from .records import AuditChain, AuditEvent, Document  # noqa: F401
from .repayments import BaseRate, RepaymentClaim  # noqa: F401
from .reports import ReceiptLine, Report  # noqa: F401
from .steering import (  # noqa: F401
    AgendaItem,
    Attendance,
    CircularBallot,
    CircularProcedure,
    ConflictDeclaration,
    ConflictFlag,
    Decision,
    MemberTie,
    Motion,
    Vote,
)
from .uploads import Attachment  # noqa: F401
