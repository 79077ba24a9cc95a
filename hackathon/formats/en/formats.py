"""English date formats with a 24-hour clock.

Django's English formats end times in "p.m.", so a sentence that ends with a date ended
in "p.m.." ("Challenges can be submitted until Dec. 1, 2026, 6 p.m.."). The 24-hour clock
also reads the same as the German pages and the event's time zone next to it.
"""

DATETIME_FORMAT = "N j, Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATETIME_FORMAT = "m/d/Y H:i"
