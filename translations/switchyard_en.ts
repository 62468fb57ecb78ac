<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>Switchyard::Gateway::ChatCompletionCall</name>
    <message numerus="yes">
        <source>All %n target(s) of route &quot;%1&quot; failed: %2</source>
        <translation>
            <numerusform>The only target of route &quot;%1&quot; failed: %2</numerusform>
            <numerusform>All %n targets of route &quot;%1&quot; failed: %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Switchyard::Ledger</name>
    <message numerus="yes">
        <source>Could not write %n usage record(s) to the ledger %1 (%2). They are kept in memory and retried; check free disk space and permissions.</source>
        <translation>
            <numerusform>Could not write %n usage record to the ledger %1 (%2). It is kept in memory and retried; check free disk space and permissions.</numerusform>
            <numerusform>Could not write %n usage records to the ledger %1 (%2). They are kept in memory and retried; check free disk space and permissions.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Could not write %n circuit breaker change(s) to the ledger %1 (%2). They are kept in memory and retried; check free disk space and permissions.</source>
        <translation>
            <numerusform>Could not write %n circuit breaker change to the ledger %1 (%2). They are kept in memory and retried; check free disk space and permissions.</numerusform>
            <numerusform>Could not write %n circuit breaker changes to the ledger %1 (%2). They are kept in memory and retried; check free disk space and permissions.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Switchyard::Routing</name>
    <message numerus="yes">
        <source>%n request(s) in flight</source>
        <translation>
            <numerusform>%n request in flight</numerusform>
            <numerusform>%n requests in flight</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failure(s) within %1</source>
        <translation>
            <numerusform>%n failure within %1</numerusform>
            <numerusform>%n failures within %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Switchyard::Ui::ConnectionReportText</name>
    <message numerus="yes">
        <source>Connected: %n model(s) listed in %1 ms.</source>
        <translation>
            <numerusform>Connected: %n model listed in %1 ms.</numerusform>
            <numerusform>Connected: %n models listed in %1 ms.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Switchyard::Ui::ConversationListModel</name>
    <message numerus="yes">
        <source>%1
%2 · %n message(s) · %3</source>
        <translation>
            <numerusform>%1
%2 · %n message · %3</numerusform>
            <numerusform>%1
%2 · %n messages · %3</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Switchyard::Ui::ExchangeFormat</name>
    <message numerus="yes">
        <source>%1, %n attempt(s)</source>
        <translation>
            <numerusform>%1, %n attempt</numerusform>
            <numerusform>%1, %n attempts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Switchyard::Ui::LogsPage</name>
    <message numerus="yes">
        <source>%n record(s) shown, reading more…</source>
        <translation>
            <numerusform>%n record shown, reading more…</numerusform>
            <numerusform>%n records shown, reading more…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n record(s), all shown</source>
        <translation>
            <numerusform>%n record, all shown</numerusform>
            <numerusform>%n records, all shown</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) shown; scroll down for older ones</source>
        <translation>
            <numerusform>%n record shown; scroll down for older ones</numerusform>
            <numerusform>%n records shown; scroll down for older ones</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Switchyard::Ui::MainWindow</name>
    <message numerus="yes">
        <source>%n credential problem(s)</source>
        <translation>
            <numerusform>%n credential problem</numerusform>
            <numerusform>%n credential problems</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Switchyard::Ui::ModelsPage</name>
    <message numerus="yes">
        <source>%1 of %n model(s)</source>
        <translation>
            <numerusform>%1 of %n model</numerusform>
            <numerusform>%1 of %n models</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Switchyard::Ui::ProvidersModel</name>
    <message numerus="yes">
        <source>%n of %1 attempts failed in the last %2 hours</source>
        <translation>
            <numerusform>%n of %1 attempts failed in the last %2 hours</numerusform>
            <numerusform>%n of %1 attempts failed in the last %2 hours</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Switchyard::Ui::RehearsalPanel</name>
    <message numerus="yes">
        <source>Rehearsing %n requests…</source>
        <translation>
            <numerusform>Rehearsing %n request…</numerusform>
            <numerusform>Rehearsing %n requests…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n without a known price)</source>
        <translation>
            <numerusform>%1 (%n without a known price)</numerusform>
            <numerusform>%1 (%n without a known price)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Switchyard::Ui::RouteScene</name>
    <message numerus="yes">
        <source>%n retries</source>
        <translation>
            <numerusform>%n retry</numerusform>
            <numerusform>%n retries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n retries (route)</source>
        <translation>
            <numerusform>%n retry (route)</numerusform>
            <numerusform>%n retries (route)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>served %1 % · %n attempts</source>
        <translation>
            <numerusform>served %1 % · %n attempt</numerusform>
            <numerusform>served %1 % · %n attempts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %n skipped</source>
        <translation>
            <numerusform> · %n skipped</numerusform>
            <numerusform> · %n skipped</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Switchyard::Ui::TodaySpendLabel</name>
    <message numerus="yes">
        <source>Today: %1 + %n unpriced</source>
        <translation>
            <numerusform>Today: %1 + %n unpriced</numerusform>
            <numerusform>Today: %1 + %n unpriced</numerusform>
        </translation>
    </message>
</context>
</TS>
