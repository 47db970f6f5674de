#include "common/logging.h"

#include <memory>
#include <mutex>
#include <string>

#include <spdlog/cfg/env.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "common/secret_mask.h"

namespace kiln {
namespace {

std::mutex g_mask_mutex;
SecretMask g_mask;

// Formats as the pattern says, then masks the whole line.
class MaskingFormatter : public spdlog::formatter {
public:
    explicit MaskingFormatter(std::string pattern)
        : pattern_(pattern), inner_(std::make_unique<spdlog::pattern_formatter>(std::move(pattern))) {}

    void format(const spdlog::details::log_msg& message, spdlog::memory_buf_t& dest) override {
        spdlog::memory_buf_t line;
        inner_->format(message, line);
        std::string masked;
        {
            const std::lock_guard lock(g_mask_mutex);
            masked = g_mask.apply(std::string_view(line.data(), line.size()));
        }
        dest.append(masked.data(), masked.data() + masked.size());
    }

    std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<MaskingFormatter>(pattern_); }

private:
    std::string pattern_;
    std::unique_ptr<spdlog::pattern_formatter> inner_;
};

}  // namespace

void setup_logging(int verbosity) {
    auto logger = spdlog::stderr_color_mt("kiln");
    logger->set_formatter(std::make_unique<MaskingFormatter>("kiln: %l: %v"));
    spdlog::set_default_logger(logger);
    spdlog::set_level(verbosity > 0 ? spdlog::level::debug : spdlog::level::warn);
    spdlog::cfg::load_env_levels();
}

void add_log_secrets(const SecretMask& mask) {
    const std::lock_guard lock(g_mask_mutex);
    g_mask.add(mask);
}

}  // namespace kiln
