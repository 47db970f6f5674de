#pragma once

// A build's output shown on a terminal (`kiln logs`, the push stream) must
// not drive that terminal: an escape sequence can move the cursor, clear the
// screen, retitle the window or, with OSC 52, write the viewer's clipboard.
// So control characters are shown in caret notation instead (ESC as `^[`,
// BEL as `^G`, DEL as `^?`), the way `cat -v` shows them. Kept as they are:
// \n and \t, and \r, which progress bars redraw with and which moves nothing
// but the cursor to the start of its line. The C1 controls (U+0080 to
// U+009F), which some terminals obey as well, are shown as `\u009b` when
// written as UTF-8; a lone byte 0x80 to 0xff is not valid UTF-8, a UTF-8
// terminal shows it as a replacement character and obeys nothing, so it is
// left alone (as are all other UTF-8 characters). The raw log keeps every
// byte.

#include <string>
#include <string_view>

namespace kiln {

/// Neutralises a stream given in chunks: a UTF-8 C1 control split across two
/// chunks is still caught.
class TerminalFilter {
public:
    /// `chunk` with its control characters made visible; may hold back its
    /// last byte until the next call (or finish()).
    std::string feed(std::string_view chunk);
    /// What feed() held back.
    std::string finish();

private:
    bool held_lead_ = false;  ///< the last chunk ended with 0xc2, the lead byte of every C1 control
};

/// `text` with its control characters made visible (TerminalFilter).
std::string neutralise_controls(std::string_view text);

}  // namespace kiln
