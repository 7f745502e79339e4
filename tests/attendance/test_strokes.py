import json

import pytest

from academy.attendance.strokes import MAX_JSON_BYTES, InvalidStrokes, strokes_to_svg, validate_strokes
from tests.factories.attendance import DRAWING


def test_a_valid_drawing_is_kept_with_its_canvas_size():
    cleaned = validate_strokes(json.dumps(DRAWING))
    assert cleaned["width"] == 300.0
    assert cleaned["strokes"][0][:2] == [[10.0, 60.0], [40.0, 20.0]]


def test_text_that_is_not_json_is_refused():
    with pytest.raises(InvalidStrokes, match="malformed"):
        validate_strokes("<svg onload=alert(1)>")


def test_a_point_outside_the_canvas_is_refused():
    with pytest.raises(InvalidStrokes, match="outside its frame"):
        validate_strokes({"width": 100, "height": 50, "strokes": [[[10, 10], [150, 10], [20, 20], [30, 30], [40, 40]]]})


def test_a_point_that_is_not_a_pair_of_numbers_is_refused():
    with pytest.raises(InvalidStrokes, match="malformed"):
        validate_strokes({"width": 100, "height": 50, "strokes": [[["10", 10], [1, 1], [2, 2], [3, 3], [4, 4]]]})


def test_an_empty_drawing_asks_for_a_signature():
    with pytest.raises(InvalidStrokes, match="draw your signature"):
        validate_strokes({"width": 100, "height": 50, "strokes": []})


def test_an_oversized_payload_is_refused_before_parsing():
    with pytest.raises(InvalidStrokes, match="too large"):
        validate_strokes("[" + " " * MAX_JSON_BYTES + "]")


def test_too_many_points_are_refused():
    stroke = [[1, 1]] * 5000
    with pytest.raises(InvalidStrokes, match="too large"):
        validate_strokes({"width": 100, "height": 50, "strokes": [stroke]})


def test_the_svg_holds_one_path_made_of_numbers_only():
    svg = strokes_to_svg(DRAWING)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 120"')
    assert 'd="M10 60 L40 20 L70 100 L100 30 L130 90 L160 50"' in svg
    assert "script" not in svg


def test_nested_json_signature_is_refused_as_malformed():
    # Thousands of nested lists overflow the JSON parser's recursion limit.
    with pytest.raises(InvalidStrokes, match="malformed"):
        validate_strokes("[" * 20_000 + "]" * 20_000)
    with pytest.raises(InvalidStrokes, match="malformed"):
        validate_strokes('{"width": 10, "height": 10, "strokes": %s}' % ("[" * 5_000 + "]" * 5_000))
