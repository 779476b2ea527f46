"""Dates: relative expressions against a fixed report date, with their precision."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from observatory.coding.dates import find_dates, leading_dateline, parse_timestamp, relative_gap

BASE = date(2019, 8, 23)  # a Friday


@pytest.mark.parametrize("text,start,end,precision", [
    ("the city fell yesterday", "2019-08-22", "2019-08-22", "day"),
    ("it fell earlier in the week", "2019-08-19", "2019-08-23", "week"),
    ("over the past week the regime advanced", "2019-08-16", "2019-08-23", "week"),
    ("the assault began in April", "2019-04-01", "2019-04-30", "month"),
    ("bombing Idlib since April", "2019-04-01", "2019-08-23", "month"),
    ("the strike on Tuesday", "2019-08-20", "2019-08-20", "day"),
    # The weekday after a report's date: the date was a day early, not a week late.
    ("the monitor said on Saturday", "2019-08-24", "2019-08-24", "day"),
    ("the strike last Saturday", "2019-08-17", "2019-08-17", "day"),
    ("the strike on Friday", "2019-08-23", "2019-08-23", "day"),
    ("on 13 July 2019 warplanes hit Kafriya", "2019-07-13", "2019-07-13", "day"),
    ("On 22 February 2020 Russian warplanes", "2020-02-22", "2020-02-22", "day"),
    ("on August 20, 2019 the convoy", "2019-08-20", "2019-08-20", "day"),
    ("in December the army took the district", "2018-12-01", "2018-12-31", "month"),
    ("three days ago", "2019-08-20", "2019-08-20", "day"),
    ("last week", "2019-08-12", "2019-08-18", "week"),
    ("in 2013 the deal was signed", "2013-01-01", "2013-12-31", "year"),
])
def test_expression_resolves_against_the_report_date(text, start, end, precision):
    (found,) = find_dates(text, base=BASE)
    assert (found.start.isoformat(), found.end.isoformat(), found.precision) == (start, end, precision)


def test_month_without_year_after_the_report_is_last_year():
    (found,) = find_dates("in December", base=date(2019, 8, 23))
    assert found.start == date(2018, 12, 1)


def test_relative_dates_need_a_report_date():
    assert find_dates("yesterday", base=None) == []
    (absolute,) = find_dates("on 13 July 2019", base=None)
    assert absolute.start == date(2019, 7, 13)


def test_spans_point_into_the_text():
    text = "Reports said yesterday that the corridor opened."
    (found,) = find_dates(text, base=BASE, offset=100)
    assert text[found.span[0] - 100:found.span[1] - 100] == "yesterday"


@pytest.mark.parametrize("text,expected", [
    ("August 23, 2019 at 12:36 pm", datetime(2019, 8, 23, 12, 36)),
    ("2019-08-23", datetime(2019, 8, 23)),
    ("23 August 2019", datetime(2019, 8, 23)),
    ("2016-06-13T08:00:00Z", datetime(2016, 6, 13, 8, 0)),
    ("Mon, 03 Feb 2020 10:00:00 GMT", datetime(2020, 2, 3, 10, 0)),
    ("4/5/2017", datetime(2017, 4, 5)),
    ("Creating new perspectives since 2009", None),
    ("clear", None),
])
def test_timestamps(text, expected):
    assert parse_timestamp(text) == expected


def test_a_day_after():
    days, _ = relative_gap("comes a day after state news announced")
    assert days == -1


@pytest.mark.parametrize("text,expected,rest", [
    ("Posted on August 3 2013 by Nadia Karam At least 12", date(2013, 8, 3), " by Nadia"),
    ("Wednesday 26 November 2014 10:07 Warplanes struck", date(2014, 11, 26), " Warplanes"),
    ("13-08-2013 Shells hit a school", date(2013, 8, 13), " Shells hit"),
    ("August 13 2016 2037 UTC+3 A spokesman said", date(2016, 8, 13), " A spokesman"),
    ("23 February 2015 1300 killed", date(2015, 2, 23), " 1300 killed"),
])
def test_leading_dateline(text, expected, rest):
    stamp, end = leading_dateline(text)
    assert stamp.date() == expected and text[end:].startswith(rest)


def test_no_leading_dateline_in_a_sentence():
    assert leading_dateline("The army said on 3 March 2020 that ...") is None
