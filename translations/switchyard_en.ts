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
</TS>
