"""The screener with its receipt swapped for a constant token of a receipt's length: served
beside the real app by ``make bench`` to measure over the wire what signing every result costs.
A bench instrument only; the service itself always signs."""

from typing import Any

from app.main import app

# A receipt of a typical screening (the header, about 380 bytes of DEFLATE and the Ed25519
# signature, in base64url) is 765 characters (the median over the golden mix; 690 to 857).
TOKEN = "e" * 765


def _constant_receipt(*_args: Any) -> str:
    return TOKEN


app.state.receipts.issue = _constant_receipt
