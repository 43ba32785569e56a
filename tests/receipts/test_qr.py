"""The QR code receipt-view.js draws (with the vendored uqr.js, run by Node) decodes, with a
real decoder (zxing-cpp), to the verify link that holds the receipt in its fragment."""

import json
import os
import shutil
import subprocess

import pytest
import zxingcpp
from PIL import Image

from tests.receipts.test_verify import receipt_of
from tests.support.answers import ROOT, complete

MODULE = ROOT / "app" / "web" / "receipt-view.js"
_SCRIPT = """
import { qrMatrix, verifyLink } from %s;
const [base, token] = JSON.parse(process.argv[1]);
const link = verifyLink(base, token);
console.log(JSON.stringify({ link, rows: qrMatrix(link) }));
"""


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("node is needed to run app/web/receipt-view.js")
        pytest.skip("node is not installed")
    return node


def _drawn(base: str, token: str) -> tuple[str, list[list[bool]]]:
    script = _SCRIPT % json.dumps(MODULE.as_uri())
    run = subprocess.run(
        [_node(), "--input-type=module", "-e", script, json.dumps([base, token])],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    drawn = json.loads(run.stdout)
    return drawn["link"], drawn["rows"]


def _image(rows: list[list[bool]], scale: int = 4) -> Image.Image:
    size = len(rows)
    image = Image.new("L", (size, size), 255)
    image.putdata([0 if dark else 255 for row in rows for dark in row])
    return image.resize((size * scale, size * scale), Image.Resampling.NEAREST)


@pytest.mark.parametrize(
    "answers",
    [complete({}), complete({"bl_symptoms_present": True, "bl_urgency": "daily"})],
    ids=["quiet", "physio"],
)
def test_the_qr_code_decodes_to_the_verify_link(answers: dict[str, object]) -> None:
    token, _ = receipt_of(answers)
    link, rows = _drawn("https://screener.example.org/", token)
    assert link == f"https://screener.example.org/verify#{token}"
    assert len(rows) <= 133, "version 31 or lower (125 modules and the quiet zone)"
    (found,) = zxingcpp.read_barcodes(_image(rows))
    assert found.format == zxingcpp.BarcodeFormat.QRCode
    assert found.text == link
