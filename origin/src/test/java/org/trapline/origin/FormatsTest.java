package org.trapline.origin;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Current MTA formats the shared corpora do not cover (or cover only in old versions), written after
 * each MTA's documented or observed Received line. Columns: header | ip | rdns | helo | by | auth |
 * time (ISO, empty for none).
 */
class FormatsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # Postfix, IPv6 literal
        from mail.example.org (mail.example.org [IPv6:2001:db8::25]) by mx.example.net (Postfix) with ESMTPS id 4RgABC1234z for <trap@trap.example.net>; Tue,  5 Sep 2023 10:00:00 +0200 (CEST) | 2001:db8::25 | mail.example.org | mail.example.org | mx.example.net | | 2023-09-05T10:00+02:00
        # Postfix, unknown client and authenticated submission
        from [192.168.1.10] (unknown [203.0.113.5]) (Authenticated sender: user@example.net) by smtp.example.net (Postfix) with ESMTPSA id 4RgDEF; Tue, 5 Sep 2023 10:00:00 +0200 | 203.0.113.5 | | [192.168.1.10] | smtp.example.net | ESMTPSA | 2023-09-05T10:00+02:00
        # Sendmail 8.17 over TLS
        from mail.example.org (mail.example.org [IPv6:2001:db8::26]) by mx.example.net (8.17.1/8.17.1) with ESMTPS id 3858000A012345 (version=TLSv1.3 cipher=TLS_AES_256_GCM_SHA384 bits=256 verify=NOT) for <trap@x>; Tue, 5 Sep 2023 10:00:00 +0200 | 2001:db8::26 | mail.example.org | mail.example.org | mx.example.net | | 2023-09-05T10:00+02:00
        # Exim 4.96, IPv6 with port, helo=
        from mail.example.org ([2001:db8::27]:43210 helo=relay.example.org) by mx.example.net with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384 (Exim 4.96) (envelope-from <bounce@example.org>) id 1qdQ1X-000ABC-2Z for trap@trap.example.net; Tue, 05 Sep 2023 10:00:00 +0200 | 2001:db8::27 | mail.example.org | relay.example.org | mx.example.net | | 2023-09-05T10:00+02:00
        # Exim, authenticated submission
        from [203.0.113.5] (helo=[192.168.1.10]) by smtp.example.net with esmtpsa (TLS1.3) tls TLS_AES_256_GCM_SHA384 (Exim 4.96) (envelope-from <user@example.net>) id 1qdQ2Y-000DEF-3A; Tue, 05 Sep 2023 10:00:00 +0200 | 203.0.113.5 | | [192.168.1.10] | smtp.example.net | esmtpsa | 2023-09-05T10:00+02:00
        # qmail
        from unknown (HELO mail.example.org) (192.0.2.1) by mx.example.net with SMTP; 5 Sep 2023 08:00:00 -0000 | 192.0.2.1 | | mail.example.org | mx.example.net | | 2023-09-05T08:00Z
        # qmail with IPv6
        from mail.example.org (HELO relay) (2001:db8::28) by mx.example.net with SMTP; 5 Sep 2023 08:00:00 -0000 | 2001:db8::28 | mail.example.org | relay | mx.example.net | | 2023-09-05T08:00Z
        # Exchange 2019, internal hop
        from EX01.corp.example.com (10.1.1.5) by EX02.corp.example.com (10.1.1.6) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.2.1118.26; Tue, 5 Sep 2023 10:00:00 +0200 | 10.1.1.5 | EX01.corp.example.com | EX01.corp.example.com | EX02.corp.example.com | | 2023-09-05T10:00+02:00
        # Exchange SMTPSVC
        from helo.example ([192.0.2.2]) by EXCH01.example.com with Microsoft SMTPSVC(6.0.3790.4675); Tue, 5 Sep 2023 10:00:00 +0200 | 192.0.2.2 | | helo.example | EXCH01.example.com | | 2023-09-05T10:00+02:00
        # Microsoft 365, IPv6 in parentheses
        from AM6PR04MB1234.eurprd04.prod.outlook.com (2603:10a6:20b:3d4::12) by AM0PR04MB5678.eurprd04.prod.outlook.com (2603:10a6:208:16a::20) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.6745.34; Tue, 5 Sep 2023 08:00:01 +0000 | 2603:10a6:20b:3d4::12 | AM6PR04MB1234.eurprd04.prod.outlook.com | AM6PR04MB1234.eurprd04.prod.outlook.com | AM0PR04MB5678.eurprd04.prod.outlook.com | | 2023-09-05T08:00:01Z
        # Microsoft 365 edge receiving from the Internet
        from mail-ej1-f41.google.com (209.85.218.41) by BN8NAM11FT012.mail.protection.outlook.com (10.13.177.12) with Microsoft SMTP Server (version=TLS1_3, cipher=TLS_AES_256_GCM_SHA384) id 15.20.6745.30 via Frontend Transport; Tue, 5 Sep 2023 08:00:00 +0000 | 209.85.218.41 | mail-ej1-f41.google.com | mail-ej1-f41.google.com | BN8NAM11FT012.mail.protection.outlook.com | | 2023-09-05T08:00Z
        # Gmail receiving
        from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41]) by mx.google.com with SMTPS id a640c23a62f3a-9a1234.1.2023.09.05.01.02.03 for <x@example.com> (Google Transport Security); Tue, 05 Sep 2023 01:02:03 -0700 (PDT) | 209.85.220.41 | mail-sor-f41.google.com. | mail-sor-f41.google.com | mx.google.com | | 2023-09-05T01:02:03-07:00
        # Gmail submission
        from [192.168.1.10] ([203.0.113.5]) by smtp.gmail.com with ESMTPSA id h2-20020a170906b12345.2023.09.05.01.02.03 for <x@example.com> (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256); Tue, 05 Sep 2023 01:02:03 -0700 (PDT) | 203.0.113.5 | | [192.168.1.10] | smtp.gmail.com | ESMTPSA | 2023-09-05T01:02:03-07:00
        # Courier, mapped address and AUTH comment
        from host.example.com (host.example.com [::ffff:192.0.2.3]) (AUTH: LOGIN user@example.com, TLS: TLSv1/SSLv3,256bits,AES256-SHA) by mail.example.net with ESMTPSA; Tue, 05 Sep 2023 10:00:00 +0200 id 00000001.64F6E0A0.00001234 | 192.0.2.3 | host.example.com | host.example.com | mail.example.net | ESMTPSA | 2023-09-05T10:00+02:00
        # CommuniGate Pro
        from [192.0.2.4] (HELO helo.example) by mail.example.net (CommuniGate Pro SMTP 6.3.17) with ESMTPS id 123456789 for trap@x; Tue, 05 Sep 2023 10:00:00 +0200 | 192.0.2.4 | | helo.example | mail.example.net | | 2023-09-05T10:00+02:00
        # MDaemon
        from helo.example [192.0.2.5] by mx.example.net [198.51.100.1] with SMTP (MDaemon PRO v23.0.1) for <x@y>; Tue, 05 Sep 2023 10:00:00 +0200 | 192.0.2.5 | | helo.example | mx.example.net | | 2023-09-05T10:00+02:00
        # Haraka
        from mail.example.org (mail.example.org [192.0.2.6]) by haraka.example.net (Haraka/3.0.2) with ESMTPS id 4A1C7F3E-1234-5678-9ABC-DEF012345678.1 envelope-from <bounce@example.org> (version=TLSv1.3 cipher=TLS_AES_256_GCM_SHA384); Tue, 05 Sep 2023 10:00:00 +0200 | 192.0.2.6 | mail.example.org | mail.example.org | haraka.example.net | | 2023-09-05T10:00+02:00
        # Apache James 3
        from smtp106.example.com (EHLO localhost.localdomain) ([98.139.231.40]) by smtp404.example.com (JAMES SMTP Server ) with ESMTPA ID 658003e76b47aa0b456f7039861b9699; Sun, 21 Jan 2018 23:42:16 +0000 (UTC) | 98.139.231.40 | smtp106.example.com | localhost.localdomain | smtp404.example.com | ESMTPA | 2018-01-21T23:42:16Z
        # Apache James 3, IPv6 address literal as HELO
        from me.example.ninja (EHLO [IPV6:2602:2e1:80:111::f0c5:cafe]) ([2602:2e1:80:111:0:0:f0c5:cafe]) by example.email (JAMES SMTP Server ) with ESMTP ID -948943269; Tue, 03 Dec 2024 20:50:31 -0800 (PST) | 2602:2e1:80:111::f0c5:cafe | me.example.ninja | [IPV6:2602:2e1:80:111::f0c5:cafe] | example.email | | 2024-12-03T20:50:31-08:00
        # Apache James 2
        from localhost ([127.0.0.1]) by pop3 (JAMES SMTP Server 2.3.2) with SMTP ID 874 for <ryuu@localhost>; Thu, 8 Jan 2015 11:27:01 -0500 (EST) | 127.0.0.1 | | localhost | pop3 | | 2015-01-08T11:27:01-05:00
        """)
    void parses(String header, String ip, String rdns, String helo, String by, String auth, String time) {
        Relay r = new ReceivedParser().parse(header).orElseThrow();
        assertThat(r.ip()).isEqualTo(ip);
        assertThat(r.rdns()).isEqualTo(rdns == null ? "" : rdns);
        assertThat(r.helo()).isEqualTo(helo == null ? "" : helo);
        assertThat(r.by()).isEqualTo(by);
        assertThat(r.auth()).isEqualTo(auth == null ? "" : auth);
        assertThat(r.time() == null ? null : r.time().toString()).isEqualTo(time);
    }
}
