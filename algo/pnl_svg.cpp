// Writing the P&L chart as SVG (see pnl_svg.hpp).
#include "pnl_svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "tickshm/money.hpp"
#include "tickshm/text.hpp"

namespace tickshm::algo {
namespace {

constexpr double kWidth = 900, kLeft = 90, kRight = 20, kTop = 40;
constexpr double kPnlHeight = 260, kGap = 50, kPosHeight = 140, kBottom = 40;
constexpr double kPlotWidth = kWidth - kLeft - kRight;
constexpr double kHeight = kTop + kPnlHeight + kGap + kPosHeight + kBottom;

std::string num(double v) {
  return fmt::format("{:.2f}", v);
}

struct Range {
  double lo, hi;
  double y(double v, double top, double height) const { return top + height - (v - lo) / (hi - lo) * height; }
};

// The values' range widened to include 0 and never empty, so a flat curve sits on a visible line.
Range range_of(const std::vector<double>& v, double min_span) {
  double lo = 0, hi = 0;
  for (const double x : v) {
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  if (hi - lo < min_span) hi = lo + min_span;
  const double pad = (hi - lo) * 0.05;
  return {lo - pad, hi + pad};
}

void axis_labels(std::string& out, const Range& r, double top, double height, const char* unit) {
  for (int k = 0; k <= 4; ++k) {
    const double v = r.lo + (r.hi - r.lo) * k / 4;
    const double y = r.y(v, top, height);
    out += "<line x1=\"" + num(kLeft) + "\" y1=\"" + num(y) + "\" x2=\"" + num(kWidth - kRight) + "\" y2=\"" +
           num(y) + "\" stroke=\"#e5e5e5\"/>\n";
    out += "<text x=\"" + num(kLeft - 6) + "\" y=\"" + num(y + 4) + "\" text-anchor=\"end\">" + num(v) +
           unit + "</text>\n";
  }
}

}  // namespace

std::string pnl_svg(const std::vector<PnlSample>& samples, const SvgChartInfo& info) {
  std::vector<double> t, pnl, pos;
  const std::uint64_t t0 = samples.empty() ? 0 : samples.front().time_unix_ns;
  for (const PnlSample& s : samples) {
    t.push_back(s.time_unix_ns > t0 ? static_cast<double>(s.time_unix_ns - t0) / 1e9 : 0.0);
    pnl.push_back(static_cast<double>(s.total_pnl) / 1e4);  // Money is 1/10,000 of a currency unit
    pos.push_back(static_cast<double>(s.gross_shares));
  }
  const double span = t.empty() ? 1.0 : std::max(t.back(), 1.0);
  const Range pr = range_of(pnl, 1.0), qr = range_of(pos, 100.0);
  auto x = [&](double s) { return kLeft + s / span * kPlotWidth; };
  const double pos_top = kTop + kPnlHeight + kGap;

  std::string out;
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(kWidth) + "\" height=\"" + num(kHeight) +
         "\" viewBox=\"0 0 " + num(kWidth) + " " + num(kHeight) +
         "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  out += "<title>" + xml_escape(info.title) + "</title>\n";
  out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  out += "<text x=\"" + num(kLeft) + "\" y=\"20\" font-size=\"14\" font-weight=\"bold\">" +
         xml_escape(info.title) + "</text>\n";
  out += "<text x=\"" + num(kLeft) + "\" y=\"" + num(kTop - 4) + "\">total P&amp;L (currency units)</text>\n";
  axis_labels(out, pr, kTop, kPnlHeight, "");
  const double zero = pr.y(0, kTop, kPnlHeight);
  out += "<line x1=\"" + num(kLeft) + "\" y1=\"" + num(zero) + "\" x2=\"" + num(kWidth - kRight) +
         "\" y2=\"" + num(zero) + "\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>\n";
  out += "<text x=\"" + num(kLeft) + "\" y=\"" + num(pos_top - 4) + "\">gross position (shares)</text>\n";
  axis_labels(out, qr, pos_top, kPosHeight, "");

  // Time axis under the position panel: five ticks in seconds.
  const double axis_y = pos_top + kPosHeight;
  for (int k = 0; k <= 5; ++k) {
    const double s = span * k / 5;
    out += "<text x=\"" + num(x(s)) + "\" y=\"" + num(axis_y + 16) + "\" text-anchor=\"middle\">" + num(s) +
           " s</text>\n";
  }
  out += "<text x=\"" + num(kLeft + kPlotWidth / 2) + "\" y=\"" + num(axis_y + 34) +
         "\" text-anchor=\"middle\">time since the first sample</text>\n";

  std::string pnl_points, pnl_values, pos_points;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    pnl_points += (i ? " " : "") + num(x(t[i])) + "," + num(pr.y(pnl[i], kTop, kPnlHeight));
    pos_points += (i ? " " : "") + num(x(t[i])) + "," + num(qr.y(pos[i], pos_top, kPosHeight));
    pnl_values += fmt::format("{}{}", i ? " " : "", samples[i].total_pnl);
  }
  const std::string colour = !pnl.empty() && pnl.back() < 0 ? "#c0392b" : "#1e8449";
  out += "<polyline id=\"pnl\" fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"1.5\" points=\"" +
         pnl_points + "\" data-pnl=\"" + pnl_values + "\"/>\n";
  out += "<polyline id=\"position\" fill=\"none\" stroke=\"#2e86c1\" stroke-width=\"1.2\" points=\"" +
         pos_points + "\"/>\n";
  const std::string last = samples.empty() ? "no samples" : "last " + format_money(samples.back().total_pnl);
  out += "<text x=\"" + num(kWidth - kRight) + "\" y=\"" + num(kTop - 4) + "\" text-anchor=\"end\">" +
         xml_escape(last) + "</text>\n";
  out += "</svg>\n";
  return out;
}

}  // namespace tickshm::algo
