"""Signed receipts: a screening's answers and result in a JWS (RFC 7515) the person carries,
which a clinic verifies here without the service storing anything."""
