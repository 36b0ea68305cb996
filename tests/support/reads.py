"""The requests that read the live assistants, stated once for the tests that count them.

The list is read from both ends at once (reconciler/api/paging.py): the first page alone; when
it says there is more, rounds of one ascending and one descending page until the two meet. With
T assistants on the endpoint (every owner's):

    T <= 100:  1 page
    T >  100:  2k - 1 pages, k = floor((T + 300) / 200) rounds (k ascending, k - 1 descending)

e.g. 101..299: 3 (2 rounds); 300..499: 5 (3 rounds); 1000: 11 (6); 5000: 51 (26). The file list
is one more request, sent beside the first page.
"""

from __future__ import annotations


def assistant_pages(total: int) -> int:
    return 1 if total <= 100 else 2 * rounds(total) - 1


def rounds(total: int) -> int:
    return 1 if total <= 100 else (total + 300) // 200
