#pragma once

// Masking secret values as `***` in everything kiln writes or sends: a
// build's log, its record (reason), the notify POST body, kiln's own log
// lines. A value is also masked in the forms a build most often prints it:
// base64 (standard and URL alphabets, with and without `=` padding, and
// inside a longer base64 text such as a Basic auth header), percent-encoded
// (upper and lower hex, space as %20 or +), and as each piece of it between
// line breaks, since a log line ends at a \r as well as a \n. Self-contained
// (no OpenSSL): the hook links it.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kiln {

/// The standard base64 of `bytes` (RFC 4648 section 4), or its URL alphabet
/// (`-` and `_`, section 5); `pad` adds the `=`s.
std::string base64_encode(std::string_view bytes, bool url_alphabet, bool pad);

/// `bytes` percent-encoded: every byte but A-Z a-z 0-9 - . _ ~ as `%XX`, in
/// lower hex when `lower_hex`; a space as `+` when `plus_for_space`.
std::string percent_encode(std::string_view bytes, bool lower_hex, bool plus_for_space);

class SecretMask {
public:
    /// What every masked text is replaced by.
    static constexpr std::string_view kMasked = "***";
    /// Values (and pieces) shorter than this are not masked: masking `1` or
    /// `on` would garble the text without protecting anything.
    static constexpr std::size_t kMinLength = 3;
    /// A base64 form found inside a longer base64 text is masked only from
    /// this many characters on: shorter runs are common in any base64.
    static constexpr std::size_t kMinEmbeddedBase64 = 8;

    /// Masks `value` from now on: itself, each piece of it between \r and \n,
    /// and its encoded forms. Values shorter than kMinLength are ignored.
    void add(std::string_view value);
    void add(const std::vector<std::string>& values);
    /// Masks everything `other` masks as well.
    void add(const SecretMask& other);

    /// `text` with every occurrence of a masked form replaced by `***`;
    /// overlapping or adjacent occurrences become one `***`.
    std::string apply(std::string_view text) const;

    /// The length of the longest end of `text` that is the start (shorter than
    /// the whole) of a masked form: what a writer of a stream must hold back,
    /// since the rest of the secret may come in the next chunk.
    std::size_t prefix_tail(std::string_view text) const;

    bool empty() const { return forms_.empty(); }
    /// Every masked form, longest first.
    const std::vector<std::string>& forms() const { return forms_; }

private:
    void add_form(std::string form);

    std::vector<std::string> forms_;
};

}  // namespace kiln
