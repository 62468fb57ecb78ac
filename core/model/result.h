#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace Switchyard {

// The failure half of a Result: a message a person can act on (already translated).
struct Failure
{
    QString message;
};

// Value-or-failure return type (GCC 12 has no std::expected in C++20).
template<typename T>
class [[nodiscard]] Result
{
public:
    Result(T value)
        : m_state(std::move(value))
    {
    }
    Result(Failure failure)
        : m_state(std::move(failure))
    {
    }

    static Result failure(QString message) { return Result(Failure{std::move(message)}); }

    bool isOk() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return isOk(); }

    const T &value() const & { return std::get<T>(m_state); }
    T &value() & { return std::get<T>(m_state); }
    T &&value() && { return std::get<T>(std::move(m_state)); }
    const T *operator->() const { return &std::get<T>(m_state); }
    T *operator->() { return &std::get<T>(m_state); }

    // Empty when isOk().
    QString errorMessage() const { return isOk() ? QString() : std::get<Failure>(m_state).message; }

private:
    std::variant<T, Failure> m_state;
};

// For operations that yield nothing but may fail.
struct Done
{
};
using Status = Result<Done>;

inline Status success()
{
    return Status(Done{});
}

} // namespace Switchyard
