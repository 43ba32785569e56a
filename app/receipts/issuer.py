"""The receipts of one running service: its keyring and issuer, the payload parts each rule
set, language and country share, and the summaries of verified receipts."""

import logging
import time
from collections.abc import Callable
from typing import Any

from app.config import Settings
from app.engine.evaluator import Evaluation
from app.receipts.claims import payload, payload_head
from app.receipts.keys import Keyring
from app.receipts.tokens import Signer
from app.schemas.screening import ResultParts

logger = logging.getLogger("app.receipts")


def keyring_from(settings: Settings) -> Keyring:
    """The configured keys (KeyConfigError when they cannot be used), else a key made now."""
    if settings.receipt_keys is not None:
        return Keyring.from_jwks(settings.receipt_keys.get_secret_value())
    if settings.receipt_keys_file is not None:
        return Keyring.from_file(settings.receipt_keys_file)
    return Keyring.generated()


class Receipts:
    """Issues a receipt for each screening result; verifies receipts (``signer``)."""

    def __init__(self, keyring: Keyring, issuer: str, ttl_days: int, clock: Callable[[], float] = time.time) -> None:
        self.signer = Signer(keyring, issuer, ttl_days * 86_400, clock)
        self.issuer = issuer
        self._heads: dict[int, tuple[ResultParts, bytes]] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> "Receipts":
        return cls(keyring_from(settings), settings.receipt_issuer, settings.receipt_ttl_days)

    def warn_if_ephemeral(self) -> None:
        if self.signer.keyring.ephemeral:
            logger.warning(
                "no receipt key configured (SCREENER_RECEIPT_KEYS or SCREENER_RECEIPT_KEYS_FILE): a key was made "
                "at start-up, so receipts will not verify after this process ends, nor on another instance"
            )

    def issue(self, parts: ResultParts, evaluation: Evaluation, answers: dict[str, Any], skipped: list[str]) -> str:
        """The receipt of one result: ``answers`` as sent, and what ``parts`` rendered it with."""
        cached = self._heads.get(id(parts))
        if cached is None or cached[0] is not parts:
            if len(self._heads) > 256:  # parts of catalogs replaced by reloads
                self._heads.clear()
            cached = (parts, payload_head(self.issuer, parts.ruleset, parts.language, parts.country))
            self._heads[id(parts)] = cached
        iat, exp = self.signer.times()
        return self.signer.sign(payload(cached[1], evaluation.level.value, answers, skipped, iat, exp))
