"""Upload checks: type by content and extension, size."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from academy.privacy.uploads import PDF, PNG, check_upload


def test_a_real_pdf_under_the_size_limit_is_accepted():
    upload = SimpleUploadedFile("programme.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    assert check_upload(upload, allowed=(PDF,), max_bytes=1024) is upload


def test_a_file_whose_content_is_not_what_its_name_says_is_refused():
    upload = SimpleUploadedFile("signature.png", b"<html><script>alert(1)</script>", content_type="image/png")
    with pytest.raises(ValidationError, match="n’est pas accepté|not accepted"):
        check_upload(upload, allowed=(PNG,), max_bytes=1024)


def test_a_right_content_with_a_wrong_extension_is_refused():
    upload = SimpleUploadedFile("signature.svg", b"\x89PNG\r\n\x1a\n....", content_type="image/png")
    with pytest.raises(ValidationError):
        check_upload(upload, allowed=(PNG,), max_bytes=1024)


def test_a_file_over_the_limit_is_refused_with_the_sizes():
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 3000, content_type="application/pdf")
    with pytest.raises(ValidationError, match="2,0|2.0"):
        check_upload(upload, allowed=(PDF,), max_bytes=2048)
