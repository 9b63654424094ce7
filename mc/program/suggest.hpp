// "Did you mean …?" for misspelt commands, options, protocols and parameters: the closest known word by edit
// distance, when it is close enough to be a likely typo.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace mc::program {

/// Levenshtein distance, with a swap of two neighbouring letters counting as one edit.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

/// " (did you mean 'x'?)" for the closest candidate within a third of the word's length (at least 2 edits, and
/// a word that is the other without its dashes), else "".
inline std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const auto undashed = [](std::string_view w) {
    std::string out;
    for (char c : w)
      if (c != '-' && c != '_') out += c;
    return out;
  };
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  const std::string* best = nullptr;
  std::size_t best_distance = limit + 1;
  for (const auto& c : candidates) {
    const std::size_t d = undashed(c) == undashed(word) ? 0 : edit_distance(word, c);
    if (d < best_distance) best = &c, best_distance = d;
  }
  return best ? " (did you mean '" + *best + "'?)" : std::string();
}

}  // namespace mc::program
