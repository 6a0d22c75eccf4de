"""The samples' PDF on US Letter, the shorter page: every sample still keeps its verdict to
page 1 and each bank account to a page. A4 is in test_pdf.py."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.report.conftest import (
    SAMPLE_FOLDERS,
    RenderedSamples,
    assert_verdict_keeps_to_page_one,
)

#: Each sample's report, HTML and PDF are made once per module (the RenderedSamples fixture):
#: the long end-to-end part of the suite, started first by ``make test``.
pytestmark = pytest.mark.slow


def test_paper_size(samples: RenderedSamples) -> None:
    assert "size: letter;" in samples.html("kowhai-builders", "Letter")
    assert "size: A4;" in samples.html("kowhai-builders")
    pdf = samples.pdf("kowhai-builders", "Letter")
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    # the shorter page still holds the whole verdict of the sample with the most flags
    pages = samples.pages("kowhai-builders", "Letter")
    assert "Checks at a glance" in pages[0]
    assert pages[1].lstrip().startswith("Contents")


@pytest.mark.parametrize("sample", SAMPLE_FOLDERS)
def test_every_sample_keeps_the_verdict_to_page_one(sample: str, samples: RenderedSamples) -> None:
    assert_verdict_keeps_to_page_one(samples, sample, "Letter")
