import datetime

import pytest

from portal.dates import display_partial_date, iso_partial_date, parse_partial_date, partial_date_error


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2017-08-30", (datetime.date(2017, 8, 30), "day")),
        ("2021-09", (datetime.date(2021, 9, 1), "month")),
        ("2021-Q3", (datetime.date(2021, 7, 1), "quarter")),
        ("2015", (datetime.date(2015, 1, 1), "year")),
    ],
)
def test_parse_partial_date_keeps_the_precision(text, expected):
    assert parse_partial_date(text) == expected


@pytest.mark.parametrize("text", ["2021-13", "21-09", "2021-Q5", "yesterday", ""])
def test_parse_partial_date_rejects_malformed_text(text):
    with pytest.raises(ValueError):
        parse_partial_date(text)


@pytest.mark.parametrize(
    ("precision", "iso", "display"),
    [("day", "2021-07-01", "2021-07-01"), ("month", "2021-07", "2021-07"),
     ("quarter", "2021-07", "2021 Q3"), ("year", "2021", "2021")],
)
def test_dates_are_cut_to_their_precision(precision, iso, display):
    day = datetime.date(2021, 7, 1)
    assert iso_partial_date(day, precision) == iso
    assert display_partial_date(day, precision) == display


def test_a_coarse_date_must_be_the_first_day_of_its_period():
    assert partial_date_error(datetime.date(2021, 9, 14), "month") is not None
    assert partial_date_error(datetime.date(2021, 9, 1), "month") is None
    assert partial_date_error(datetime.date(2021, 5, 1), "quarter") is not None
