#pragma once

namespace Switchyard::App {

// Loads Qt's own catalog and Switchyard's for the system locale (English plural forms
// included), plus QtKeychain's, so its error texts match the interface language.
void installTranslations();

} // namespace Switchyard::App
