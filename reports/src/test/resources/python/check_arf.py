"""Reads an ARF report with Python's standard email package, independently of Trapline's reader.

usage: check_arf.py REPORT ORIGINAL
Checks RFC 5965's structure: multipart/report with report-type=feedback-report, three parts, the
second message/feedback-report with the required Feedback-Type, User-Agent and Version, the third
message/rfc822 whose bytes equal ORIGINAL. Prints "ok" and the feedback fields as key=value lines,
or the first failure on stderr with exit status 1.
"""
import email
import email.policy
import sys


def fail(why):
    print(why, file=sys.stderr)
    sys.exit(1)


def main(report_path, original_path):
    raw = open(report_path, 'rb').read()
    original = open(original_path, 'rb').read()
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    if msg.get_content_type() != 'multipart/report':
        fail('content type is ' + msg.get_content_type())
    if msg.get_param('report-type') != 'feedback-report':
        fail('report-type is %r' % msg.get_param('report-type'))
    if msg.defects:
        fail('defects: %r' % msg.defects)
    parts = msg.get_payload()
    if len(parts) != 3:
        fail('%d parts' % len(parts))
    if parts[0].get_content_maintype() != 'text':
        fail('first part is ' + parts[0].get_content_type())
    if parts[1].get_content_type() != 'message/feedback-report':
        fail('second part is ' + parts[1].get_content_type())
    # the feedback part's body is a header block; the email package reads it as such
    body = parts[1].get_payload()
    if isinstance(body, list):
        fields = body[0]
    else:
        fields = email.message_from_string(body, policy=email.policy.compat32)
    for required in ('Feedback-Type', 'User-Agent', 'Version'):
        if fields.get(required) is None:
            fail('feedback part lacks ' + required)
    if parts[2].get_content_type() != 'message/rfc822':
        fail('third part is ' + parts[2].get_content_type())
    # the original's bytes: the third part's body between its header section and the closing
    # delimiter, located with the boundary the email package read
    boundary = ('--' + msg.get_boundary()).encode('ascii')
    chunks = raw.split(b'\r\n' + boundary)
    third = chunks[3]
    start = third.index(b'\r\n\r\n') + 4
    if third[start:] != original:
        fail('third part differs from the original (%d vs %d bytes)' % (len(third) - start, len(original)))
    print('ok')
    for key in ('Feedback-Type', 'User-Agent', 'Version', 'Source-IP', 'Source-Port', 'Arrival-Date',
                'Original-Mail-From', 'Original-Rcpt-To', 'Reported-Domain', 'Incidents'):
        for value in fields.get_all(key) or []:
            print('%s=%s' % (key, value))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
