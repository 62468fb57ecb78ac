#include "ui/widgets/exchangeformat.h"

#include <QLocale>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace Switchyard::Ui {

QString ExchangeFormat::duration(qint64 ms)
{
    if (ms < 0) {
        return u"–"_s;
    }
    if (ms < 1000) {
        return tr("%1 ms").arg(ms);
    }
    return tr("%1 s").arg(QLocale().toString(double(ms) / 1000.0, 'f', 2));
}

QString ExchangeFormat::tokens(const Usage &usage)
{
    if (!usage.isReported) {
        return u"–"_s;
    }
    return tr("%1 in · %2 out").arg(QLocale().toString(usage.promptTokens), QLocale().toString(usage.completionTokens));
}

QString ExchangeFormat::speed(std::optional<double> tokensPerSecond)
{
    if (!tokensPerSecond) {
        return u"–"_s;
    }
    return tr("%1 tok/s").arg(QLocale().toString(*tokensPerSecond, 'f', 1));
}

QString ExchangeFormat::cost(const std::optional<Money> &cost)
{
    return cost ? cost->toString() : tr("unknown");
}

QString ExchangeFormat::servedBy(const Workbench::ExchangeResult &result)
{
    if (result.servedTarget.isEmpty()) {
        return result.target;
    }
    QString text
        = result.route.isEmpty() ? result.servedTarget : tr("%1 via %2").arg(result.servedTarget, result.route);
    if (result.attempts > 1) {
        text = tr("%1, %n attempt(s)", nullptr, result.attempts).arg(text);
    }
    return text;
}

QString ExchangeFormat::figures(const Workbench::ExchangeResult &result)
{
    QStringList parts {tr("TTFT %1").arg(duration(result.ttftMs)), tr("total %1").arg(duration(result.totalMs)),
        tr("%1 tokens").arg(tokens(result.usage))};
    // An answer that arrived in one piece has no measurable speed; a bare dash would read as a typo.
    if (const auto tokensPerSecond = result.tokensPerSecond()) {
        parts.append(speed(tokensPerSecond));
    }
    parts.append(tr("cost %1").arg(cost(result.cost)));
    return parts.join(u" · "_s);
}

} // namespace Switchyard::Ui
