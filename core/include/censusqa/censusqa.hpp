// censusqa SDK: everything a plugin author needs, in one include.
#pragma once

#include <censusqa/codes.hpp>
#include <censusqa/config.hpp>
#include <censusqa/dataset.hpp>
#include <censusqa/date.hpp>
#include <censusqa/descriptor.hpp>
#include <censusqa/finding.hpp>
#include <censusqa/metrics.hpp>
#include <censusqa/money.hpp>
#include <censusqa/plugin.hpp>
#include <censusqa/profile.hpp>
#include <censusqa/rule.hpp>
#include <censusqa/stats.hpp>
#include <censusqa/upn.hpp>
#include <censusqa/value.hpp>
#include <censusqa/version.hpp>
