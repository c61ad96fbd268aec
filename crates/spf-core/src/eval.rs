//! check_host() (§4, §5, §6) and the identities it is applied to (§2.3, §2.4).
//!
//! One evaluation is one [`Evaluator`]: it owns the §4.6.4 counters, the
//! clock check and the trace, and wraps every DNS question so that the
//! [`Lookup`] implementations stay dumb.

use std::cell::Cell;
use std::fmt::Write as _;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::time::Duration;

use ipnet::{Ipv4Net, Ipv6Net};

use crate::error::Problem;
use crate::lookup::{Lookup, LookupError, LookupResult, Mx, RecordType};
use crate::macros::{MacroContext, MacroString, truncate_domain};
use crate::outcome::{Cause, Config, IdentityCheck, Outcome, Report, Unchecked};
use crate::record::{Directive, DomainSpec, DualCidrLength, Mechanism, Record};
use crate::result::{Identity, SpfResult};
use crate::trace::{AnswerClass, Check, Query, TermOutcome, TermStep, Trace};

/// Evaluates both identities of an SMTP transaction, HELO first.
///
/// §2.3: "Checking "HELO" before "MAIL FROM" is the RECOMMENDED sequence if
/// both are checked." Both outcomes are always returned: a HELO verdict
/// never hides the MAIL FROM one (what to do with them is the receiver's
/// policy). A null MAIL FROM is checked as `postmaster@<helo>` (§2.4).
pub async fn check_identities<L: Lookup>(
    lookup: &L,
    config: &Config,
    ip: IpAddr,
    helo: &str,
    mail_from: &str,
) -> Report {
    let ip = unmap(ip);
    let helo_check = check_identity(lookup, config, ip, Identity::Helo, helo, helo).await;
    let null_sender = is_null(mail_from);
    let mail_from_check = if null_sender {
        // §2.4: "When the reverse-path is null, this document defines the
        // "MAIL FROM" identity to be the mailbox composed of the local-part
        // "postmaster" and the "HELO" identity". The evaluation is the same
        // as the HELO one; it is reused rather than asked of DNS twice.
        IdentityCheck { identity: Identity::MailFrom, ..helo_check.clone() }
    } else {
        check_identity(lookup, config, ip, Identity::MailFrom, mail_from, helo).await
    };
    Report {
        ip,
        helo_name: helo.to_string(),
        mail_from_address: mail_from.to_string(),
        null_sender,
        helo: helo_check,
        mail_from: mail_from_check,
    }
}

fn is_null(mail_from: &str) -> bool {
    let m = mail_from.trim();
    m.is_empty() || m == "<>"
}

/// Evaluates one identity: `value` is the HELO name or the MAIL FROM address
/// (a null MAIL FROM is taken as `postmaster@<helo>`).
pub async fn check_identity<L: Lookup>(
    lookup: &L,
    config: &Config,
    ip: IpAddr,
    identity: Identity,
    value: &str,
    helo: &str,
) -> IdentityCheck {
    let ip = unmap(ip);
    let value = value.trim().trim_start_matches('<').trim_end_matches('>');
    let (local, domain) = match identity {
        Identity::Helo => ("postmaster", value),
        Identity::MailFrom if value.is_empty() => ("postmaster", helo),
        // §4.3: "If the <sender> has no local-part, substitute the string
        // "postmaster" for the local-part."
        Identity::MailFrom => match value.rsplit_once('@') {
            Some(("", d)) => ("postmaster", d),
            Some((l, d)) => (l, d),
            None => ("postmaster", value),
        },
    };
    let sender = format!("{local}@{domain}");
    let unchecked = if is_address_literal(domain) {
        Some(Unchecked::AddressLiteral)
    } else if let Some(c) = domain.chars().find(|c| !('\x21'..='\x7e').contains(c)) {
        // An identity is a host name from the SMTP session: anything but
        // visible ASCII cannot be one. (Targets built by macros are more
        // liberal: §7.1's "%_" yields spaces, and such names are queried.)
        Some(Unchecked::NotADomain(format!("contains {c:?}")))
    } else {
        domain_problem(domain).map(Unchecked::NotADomain)
    };
    let outcome = match &unchecked {
        // §4.3: an invalid <domain> is "none", without any DNS query.
        Some(why) => not_checked(domain, why.to_string(), config),
        None => check_host(lookup, config, ip, domain, &sender, helo).await,
    };
    IdentityCheck { identity, sender, domain: domain.to_string(), unchecked, outcome }
}

fn is_address_literal(name: &str) -> bool {
    (name.starts_with('[') && name.ends_with(']')) || name.parse::<IpAddr>().is_ok()
}

fn not_checked(domain: &str, reason: String, config: &Config) -> Outcome {
    Outcome {
        result: SpfResult::None,
        explanation: None,
        explanation_from_exp: false,
        cause: Cause::InvalidDomain { domain: domain.to_string(), reason: reason.clone() },
        trace: Trace {
            root: Check::new(domain, SpfResult::None, Some(reason)),
            explanation_queries: Vec::new(),
            dns_terms: 0,
            dns_term_limit: config.limits.dns_terms,
            void_lookups: 0,
            void_limit: config.limits.void_lookups,
            queries: 0,
        },
    }
}

/// The check_host() function of §4: may `ip` send mail for `domain`?
///
/// `sender` is the full `<sender>` (`local@domain`), `helo` the HELO name
/// (for `%{h}`). An IPv4-mapped IPv6 `ip` is evaluated as IPv4.
pub async fn check_host<L: Lookup>(
    lookup: &L,
    config: &Config,
    ip: IpAddr,
    domain: &str,
    sender: &str,
    helo: &str,
) -> Outcome {
    let ev = Evaluator {
        lookup,
        config,
        ip: unmap(ip),
        sender,
        helo,
        dns_terms: Cell::new(0),
        void_lookups: Cell::new(0),
        queries: Cell::new(0),
        started: config.clock.as_ref().map(|c| c()),
    };
    ev.run(domain).await
}

/// §5: IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`) are IPv4 clients.
fn unmap(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 @ IpAddr::V4(_) => v4,
    }
}

/// Why `name` is not a valid domain for a DNS query (§4.3), if it is not.
fn domain_problem(name: &str) -> Option<String> {
    let n = name.strip_suffix('.').unwrap_or(name);
    if n.is_empty() {
        return Some("empty".to_string());
    }
    if n.len() > 253 {
        return Some("longer than 253 characters".to_string());
    }
    let mut labels = 0;
    for label in n.split('.') {
        labels += 1;
        if label.is_empty() {
            return Some("empty label".to_string());
        }
        if label.len() > 63 {
            return Some("label longer than 63 characters".to_string());
        }
    }
    if labels < 2 {
        return Some("not a fully-qualified domain name".to_string());
    }
    None
}

/// The result of one check_host() level, before the explanation.
struct Level {
    result: SpfResult,
    cause: Cause,
    check: Check,
    /// The `exp=` in force for this result: (domain-spec, the domain whose record held it).
    exp: Option<(DomainSpec, String)>,
    /// The domain whose record decided (for `%{d}` in the default explanation).
    domain: String,
}

/// A positive answer, or a void one (NXDOMAIN / NODATA).
enum Answer<T> {
    Records(Vec<T>),
    Void,
}

type LevelFuture<'s> = Pin<Box<dyn Future<Output = Level> + 's>>;

/// One evaluation: counters, clock and trace around a [`Lookup`].
struct Evaluator<'a, L> {
    lookup: &'a L,
    config: &'a Config,
    ip: IpAddr,
    sender: &'a str,
    helo: &'a str,
    dns_terms: Cell<u32>,
    void_lookups: Cell<u32>,
    queries: Cell<u32>,
    started: Option<Duration>,
}

impl<L: Lookup> Evaluator<'_, L> {
    async fn run(&self, domain: &str) -> Outcome {
        let level = self.check(domain.to_string()).await;
        let mut explanation_queries = Vec::new();
        let (explanation, explanation_from_exp) = if level.result == SpfResult::Fail {
            let (text, from_exp) = self.explain(&level, &mut explanation_queries).await;
            (Some(text), from_exp)
        } else {
            (None, false)
        };
        Outcome {
            result: level.result,
            explanation,
            explanation_from_exp,
            cause: level.cause,
            trace: Trace {
                root: level.check,
                explanation_queries,
                dns_terms: self.dns_terms.get(),
                dns_term_limit: self.config.limits.dns_terms,
                void_lookups: self.void_lookups.get(),
                void_limit: self.config.limits.void_lookups,
                queries: self.queries.get(),
            },
        }
    }

    fn ctx<'c>(&'c self, domain: &'c str, validated_name: Option<&'c str>) -> MacroContext<'c> {
        MacroContext {
            sender: self.sender,
            domain,
            ip: self.ip,
            helo: self.helo,
            receiver: &self.config.receiver,
            timestamp: self.config.timestamp,
            validated_name,
        }
    }

    /// One check_host() level: record lookup, selection, parse, evaluation.
    fn check(&self, domain: String) -> LevelFuture<'_> {
        Box::pin(async move {
            let mut check = Check::new(&domain, SpfResult::None, None);
            let finish = |mut check: Check, result: SpfResult, cause: Cause, exp: Option<(DomainSpec, String)>| {
                check.result = result;
                check.note = Some(cause.to_string());
                Level { result, cause, check, exp, domain: domain.clone() }
            };
            let problem = |check: Check, problem: Problem| {
                let result = problem.result();
                finish(check, result, Cause::Problem { problem }, None)
            };

            // §4.3: a malformed or single-label <domain> is "none".
            if let Some(reason) = domain_problem(&domain) {
                return finish(check, SpfResult::None, Cause::InvalidDomain { domain: domain.clone(), reason }, None);
            }

            // §4.4: record lookup (TXT only, §3.1 / §14.1).
            let txts = match self.ask_txt(&domain, &mut check.queries).await {
                Ok(Answer::Records(r)) => r,
                // §4.4: 'If the DNS lookup returns a server failure (RCODE 2) or some
                // other error (RCODE other than 0 or 3), or if the lookup times out,
                // then check_host() terminates immediately with the result "temperror".'
                Err(p) => return problem(check, p),
                // §4.3: NXDOMAIN is "none"; §4.5: no records is "none".
                Ok(Answer::Void) => {
                    return finish(check, SpfResult::None, Cause::NoRecord { domain: domain.clone() }, None);
                }
            };

            // §4.5: 'discard records that do not begin with a version section of
            // exactly "v=spf1"' ... 'If the resultant record set includes more
            // than one record, check_host() produces the "permerror" result.'
            let spf: Vec<&Vec<u8>> = txts.iter().filter(|t| Record::is_spf(t)).collect();
            let bytes = match spf.as_slice() {
                [] => return finish(check, SpfResult::None, Cause::NoRecord { domain: domain.clone() }, None),
                [one] => *one,
                _ => return problem(check, Problem::MultipleRecords { domain: domain.clone() }),
            };
            check.record = Some(escape_txt(bytes));
            let record_text = check.record.clone().unwrap_or_default();

            // §4.6: the whole record is parsed before anything is evaluated.
            let record = match Record::parse_bytes(bytes) {
                Ok(r) => r,
                Err(error) => return problem(check, Problem::Syntax { domain: domain.clone(), error }),
            };
            let exp = record.explanation().map(|e| (e.clone(), domain.clone()));

            // §4.6.2: mechanisms are evaluated in order; the first match decides.
            let directives: Vec<&Directive> = record.directives().collect();
            for (n, d) in directives.iter().enumerate() {
                let mut step = self.step(&d.to_string());
                let outcome = self.directive(d, &domain, &mut step).await;
                match outcome {
                    Ok(true) => {
                        step.outcome = TermOutcome::Match;
                        self.close(&mut step);
                        check.terms.push(step);
                        not_reached(&mut check, directives[n + 1..].iter().map(|d| d.to_string()), record.redirect());
                        let result = d.qualifier().result();
                        let cause =
                            Cause::Matched { domain: domain.clone(), record: record_text, mechanism: d.to_string() };
                        return finish(check, result, cause, exp);
                    }
                    Ok(false) => {
                        step.outcome = TermOutcome::NoMatch;
                        self.close(&mut step);
                        check.terms.push(step);
                    }
                    Err(p) => {
                        step.outcome = TermOutcome::Error;
                        step.note = Some(p.to_string());
                        self.close(&mut step);
                        check.terms.push(step);
                        not_reached(&mut check, directives[n + 1..].iter().map(|d| d.to_string()), record.redirect());
                        return problem(check, p);
                    }
                }
            }

            // §6.1: 'Any "redirect" modifier MUST be ignored if there is an "all"
            // mechanism anywhere in the record.'
            if let Some(target) = record.redirect().filter(|_| !record.has_all()) {
                let mut step = self.step(&format!("redirect={target}"));
                let level = self.redirect(target, &domain, &mut step).await;
                step.outcome = if level.result.is_error() { TermOutcome::Error } else { TermOutcome::Modifier };
                self.close(&mut step);
                let Level { result, cause, check: child, exp: child_exp, domain: child_domain } = level;
                step.child = Some(Box::new(child));
                check.terms.push(step);
                check.result = result;
                check.note = Some(cause.to_string());
                // §6.2: 'when executing a "redirect" modifier, an "exp" modifier
                // from the original domain MUST NOT be used.'
                return Level { result, cause, check, exp: child_exp, domain: child_domain };
            }

            // §4.7: 'If none of the mechanisms match and there is no "redirect"
            // modifier, then the check_host() returns a result of "neutral"'.
            finish(check, SpfResult::Neutral, Cause::Default { domain: domain.clone(), record: record_text }, exp)
        })
    }

    fn step(&self, term: &str) -> TermStep {
        TermStep::new(term.to_string(), TermOutcome::NoMatch)
    }

    fn close(&self, step: &mut TermStep) {
        step.dns_terms = self.dns_terms.get();
        step.void_lookups = self.void_lookups.get();
    }

    /// §4.6.4: count one DNS-querying term; over the limit is permerror.
    fn count_term(&self, step: &mut TermStep) -> Result<(), Problem> {
        step.counted = true;
        let n = self.dns_terms.get() + 1;
        self.dns_terms.set(n);
        if n > self.config.limits.dns_terms {
            return Err(Problem::TooManyDnsTerms { limit: self.config.limits.dns_terms });
        }
        Ok(())
    }

    /// §4.6.4: count one void lookup; over the limit is permerror.
    fn count_void(&self) -> Result<(), Problem> {
        let n = self.void_lookups.get() + 1;
        self.void_lookups.set(n);
        // §4.6.4: 'SPF implementations SHOULD limit "void lookups" to two. An
        // implementation MAY choose to make such a limit configurable. In this
        // case, a default of two is RECOMMENDED.'
        if n > self.config.limits.void_lookups {
            return Err(Problem::TooManyVoidLookups { limit: self.config.limits.void_lookups });
        }
        Ok(())
    }

    /// Expands a mechanism's target (or takes the current domain), §4.8.
    async fn target(&self, spec: Option<&DomainSpec>, domain: &str, step: &mut TermStep) -> String {
        let Some(spec) = spec else {
            return domain.to_string();
        };
        let name = self.expand(&spec.0, domain, &mut step.queries).await;
        step.target = Some(name.clone());
        name
    }

    /// Macro expansion of a domain-spec, with `%{p}` resolved if used and
    /// the §7.3 left truncation to 253 characters.
    async fn expand(&self, ms: &MacroString, domain: &str, queries: &mut Vec<Query>) -> String {
        let p = if ms.uses_validated_name() { Some(self.validated_name(domain, queries).await) } else { None };
        let expanded = ms.expand(&self.ctx(domain, p.as_deref()));
        truncate_domain(&expanded).to_string()
    }

    /// `%{p}` (§7.3): a validated name of the client that is `domain` or a
    /// subdomain of it if there is one, else any validated name, else "unknown".
    async fn validated_name(&self, domain: &str, queries: &mut Vec<Query>) -> String {
        let names = self.validated_names(queries).await;
        names
            .iter()
            .find(|n| is_same_or_sub(n, domain))
            .or_else(|| names.first())
            .cloned()
            .unwrap_or_else(|| "unknown".to_string())
    }

    /// §5.5: the client's PTR names whose address records include the
    /// client (only the first `ptr_names` are considered; errors skip a name).
    async fn validated_names(&self, queries: &mut Vec<Query>) -> Vec<String> {
        let names = match self
            .ask(
                &crate::lookup::reverse_name(self.ip),
                RecordType::Ptr,
                self.lookup.lookup_ptr(self.ip),
                queries,
                Clone::clone,
            )
            .await
        {
            Ok(Answer::Records(n)) => n,
            // §5.5: 'If a DNS error occurs while doing the PTR RR lookup, then
            // this mechanism fails to match.' A void PTR answer is not counted
            // as a void lookup: the reverse zone belongs to the client, not to
            // the domain whose record is evaluated.
            _ => return Vec::new(),
        };
        let mut validated = Vec::new();
        // §4.6.4: 'the evaluation of each "PTR" record MUST NOT result in
        // querying more than 10 address records ... If this limit is exceeded,
        // all records other than the first 10 MUST be ignored.'
        let limit = usize::try_from(self.config.limits.ptr_names).unwrap_or(usize::MAX);
        for name in names.into_iter().take(limit) {
            if domain_problem(&name).is_some() {
                continue;
            }
            // §5.5: 'If a DNS error occurs while doing an A RR lookup, then that
            // domain name is skipped and the search continues.'
            // Void answers here are not counted toward §4.6.4's void limit:
            // the names come from the client's reverse zone, not from the
            // record being evaluated, and §5.5 makes every error a skip.
            if let Ok(true) = self.addresses_match(&name, DualCidrLength::default(), queries, false).await {
                validated.push(name);
            }
        }
        validated
    }

    /// Whether `name`'s A (or AAAA, for an IPv6 client) records hold the
    /// client within `cidr`. Void answers count toward §4.6.4 if `count_void`.
    async fn addresses_match(
        &self,
        name: &str,
        cidr: DualCidrLength,
        queries: &mut Vec<Query>,
        count_void: bool,
    ) -> Result<bool, Problem> {
        let void = || if count_void { self.count_void().map(|()| false) } else { Ok(false) };
        match self.ip {
            IpAddr::V4(ip) => {
                match self.ask(name, RecordType::A, self.lookup.lookup_a(name), queries, ToString::to_string).await? {
                    Answer::Records(addrs) => {
                        Ok(addrs.iter().any(|a| Ipv4Net::new(*a, cidr.v4()).is_ok_and(|n| n.contains(&ip))))
                    }
                    Answer::Void => void(),
                }
            }
            IpAddr::V6(ip) => match self
                .ask(name, RecordType::Aaaa, self.lookup.lookup_aaaa(name), queries, ToString::to_string)
                .await?
            {
                Answer::Records(addrs) => {
                    Ok(addrs.iter().any(|a| Ipv6Net::new(*a, cidr.v6()).is_ok_and(|n| n.contains(&ip))))
                }
                Answer::Void => void(),
            },
        }
    }

    /// Evaluates one mechanism: `Ok(true)` on a match.
    async fn directive(&self, d: &Directive, domain: &str, step: &mut TermStep) -> Result<bool, Problem> {
        match &d.mechanism {
            // §5.1
            Mechanism::All => Ok(true),
            // §5.6: an ip4 mechanism only matches IPv4 clients and vice versa.
            Mechanism::Ip4(net) => Ok(matches!(self.ip, IpAddr::V4(ip) if net.contains(&ip))),
            Mechanism::Ip6(net) => Ok(matches!(self.ip, IpAddr::V6(ip) if net.contains(&ip))),
            // §5.2
            Mechanism::Include(spec) => {
                self.count_term(step)?;
                let target = self.target(Some(spec), domain, step).await;
                let child = self.check(target.clone()).await;
                let result = child.result;
                step.child = Some(Box::new(child.check));
                // §5.2 table: pass -> match; fail, softfail, neutral -> not match;
                // temperror -> temperror; permerror, none -> permerror.
                match result {
                    SpfResult::Pass => Ok(true),
                    SpfResult::Fail | SpfResult::Softfail | SpfResult::Neutral => Ok(false),
                    SpfResult::Temperror | SpfResult::Permerror => match child.cause {
                        Cause::Problem { problem } => Err(problem),
                        _ => Err(Problem::IncludeNone { domain: target }),
                    },
                    SpfResult::None => Err(Problem::IncludeNone { domain: target }),
                }
            }
            // §5.3
            Mechanism::A { domain: spec, cidr } => {
                self.count_term(step)?;
                let target = self.target(spec.as_ref(), domain, step).await;
                if let Some(why) = self.unqueryable(&target, step) {
                    return Ok(why);
                }
                self.addresses_match(&target, *cidr, &mut step.queries, true).await
            }
            // §5.4
            Mechanism::Mx { domain: spec, cidr } => {
                self.count_term(step)?;
                let target = self.target(spec.as_ref(), domain, step).await;
                if let Some(why) = self.unqueryable(&target, step) {
                    return Ok(why);
                }
                let mut mxs = match self
                    .ask(&target, RecordType::Mx, self.lookup.lookup_mx(&target), &mut step.queries, show_mx)
                    .await?
                {
                    Answer::Records(m) => m,
                    Answer::Void => return self.count_void().map(|()| false),
                };
                // §4.6.4: 'the evaluation of each "MX" record MUST NOT result in
                // querying more than 10 address records ... If this limit is
                // exceeded, the "mx" mechanism MUST produce a "permerror" result.'
                if mxs.len() > usize::try_from(self.config.limits.mx_names).unwrap_or(usize::MAX) {
                    return Err(Problem::TooManyMxNames { domain: target, limit: self.config.limits.mx_names });
                }
                mxs.sort_by_key(|m| m.preference);
                for mx in &mxs {
                    // RFC 7505 null MX ("."): no host to look up.
                    if mx.exchange.is_empty() || mx.exchange == "." {
                        continue;
                    }
                    if self.addresses_match(&mx.exchange, *cidr, &mut step.queries, true).await? {
                        step.note = Some(format!("via MX {}", mx.exchange));
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            // §5.5
            Mechanism::Ptr(spec) => {
                self.count_term(step)?;
                let target = self.target(spec.as_ref(), domain, step).await;
                let names = self.validated_names(&mut step.queries).await;
                // §5.5: 'Check all validated domain names to see if they either
                // match the <target-name> domain or are a subdomain of the
                // <target-name> domain.'
                match names.iter().find(|n| is_same_or_sub(n, &target)) {
                    Some(n) => {
                        step.note = Some(format!("validated name {n}"));
                        Ok(true)
                    }
                    None => Ok(false),
                }
            }
            // §5.7
            Mechanism::Exists(spec) => {
                self.count_term(step)?;
                let target = self.target(Some(spec), domain, step).await;
                if let Some(why) = self.unqueryable(&target, step) {
                    return Ok(why);
                }
                // §5.7: 'The lookup type is A even when the connection type is IPv6.'
                match self
                    .ask(&target, RecordType::A, self.lookup.lookup_a(&target), &mut step.queries, ToString::to_string)
                    .await?
                {
                    Answer::Records(_) => Ok(true),
                    Answer::Void => self.count_void().map(|()| false),
                }
            }
        }
    }

    /// A target-name that cannot be put in a DNS query.
    ///
    /// §4.8 / §5 leave this undefined (see the suite's
    /// invalid-domain-empty-label); like §4.3 for <domain>, we treat it as a
    /// name that does not exist: the mechanism does not match, and no query
    /// is sent (so it is not counted as a void lookup either).
    fn unqueryable(&self, target: &str, step: &mut TermStep) -> Option<bool> {
        domain_problem(target).map(|why| {
            step.note = Some(format!("target is not a valid domain ({why}); treated as nonexistent"));
            false
        })
    }

    /// §6.1: the redirect modifier.
    async fn redirect(&self, spec: &DomainSpec, domain: &str, step: &mut TermStep) -> Level {
        let fail = |problem: Problem, domain: &str| {
            let result = problem.result();
            Level {
                result,
                check: Check::new(domain, result, Some(problem.to_string())),
                cause: Cause::Problem { problem },
                exp: None,
                domain: domain.to_string(),
            }
        };
        if let Err(p) = self.count_term(step) {
            return fail(p, domain);
        }
        let target = self.target(Some(spec), domain, step).await;
        let mut level = self.check(target.clone()).await;
        // §6.1: 'If the <target-name> is malformed, or if the redirect domain
        // has no SPF record, then ... the result is "permerror"'.
        if level.result == SpfResult::None {
            let problem = Problem::RedirectNone { domain: target };
            level.result = SpfResult::Permerror;
            level.check.note = Some(problem.to_string());
            level.cause = Cause::Problem { problem };
            level.exp = None;
        }
        level
    }

    /// §6.2: the explanation for a fail, and whether it is the `exp=` text.
    async fn explain(&self, level: &Level, queries: &mut Vec<Query>) -> (String, bool) {
        if let Some((spec, exp_domain)) = &level.exp {
            if let Some(text) = self.exp_text(spec, exp_domain, queries).await {
                return (text, true);
            }
        }
        // §6.2: 'If no "exp" modifier is present, then either a default
        // explanation string or an empty explanation string MUST be returned'.
        let p = if self.config.default_explanation.contains("%{p") {
            Some(self.validated_name(&level.domain, queries).await)
        } else {
            None
        };
        let text = match MacroString::parse_explanation(&self.config.default_explanation) {
            Ok(ms) => ms.expand(&self.ctx(&level.domain, p.as_deref())),
            Err(_) => self.config.default_explanation.clone(),
        };
        (text, false)
    }

    /// The `exp=` text, or `None` to fall back to the default.
    ///
    /// §6.2: 'If there are any DNS processing errors (any RCODE other than 0),
    /// or if no records are returned, or if more than one record is returned,
    /// or if there are syntax errors in the explanation string, then proceed
    /// as if no "exp" modifier was given.'
    async fn exp_text(&self, spec: &DomainSpec, domain: &str, queries: &mut Vec<Query>) -> Option<String> {
        let name = self.expand(&spec.0, domain, queries).await;
        if domain_problem(&name).is_some() {
            return None;
        }
        let Ok(Answer::Records(txts)) = self.ask_txt(&name, queries).await else {
            return None;
        };
        let [one] = txts.as_slice() else {
            return None;
        };
        // §6.2 / §3.1: the explain-string is US-ASCII; anything else is a syntax error.
        let text = std::str::from_utf8(one).ok()?;
        let ms = MacroString::parse_explanation(text).ok()?;
        let p = if ms.uses_validated_name() { Some(self.validated_name(domain, queries).await) } else { None };
        Some(ms.expand(&self.ctx(domain, p.as_deref())))
    }

    async fn ask_txt(&self, name: &str, queries: &mut Vec<Query>) -> Result<Answer<Vec<u8>>, Problem> {
        self.ask(name, RecordType::Txt, self.lookup.lookup_txt(name), queries, |t| escape_txt(t)).await
    }

    /// Every DNS question goes through here: clock check, counting, trace.
    /// `name` is the owner asked for (for PTR, the reverse name).
    async fn ask<T>(
        &self,
        name: &str,
        rtype: RecordType,
        question: impl Future<Output = LookupResult<T>>,
        queries: &mut Vec<Query>,
        show: impl Fn(&T) -> String,
    ) -> Result<Answer<T>, Problem> {
        if let (Some(clock), Some(started), Some(budget)) =
            (&self.config.clock, self.started, self.config.limits.time_budget)
        {
            // §4.6.4: 'MTAs or other processors SHOULD impose a limit on the
            // maximum amount of elapsed time to evaluate check_host().'
            if clock().saturating_sub(started) > budget {
                return Err(Problem::TimeLimit);
            }
        }
        self.queries.set(self.queries.get() + 1);
        let answer = question.await;
        let (class, records, error, out) = match answer {
            Ok(r) if r.is_empty() => (AnswerClass::NoData, Vec::new(), None, Ok(Answer::Void)),
            Ok(r) => (AnswerClass::Records, r.iter().map(&show).collect(), None, Ok(Answer::Records(r))),
            Err(LookupError::NxDomain) => (AnswerClass::NxDomain, Vec::new(), None, Ok(Answer::Void)),
            Err(LookupError::NoData) => (AnswerClass::NoData, Vec::new(), None, Ok(Answer::Void)),
            Err(e) => {
                let class = match e {
                    LookupError::Timeout => AnswerClass::Timeout,
                    LookupError::ServerFailure => AnswerClass::ServerFailure,
                    _ => AnswerClass::Error,
                };
                let text = e.to_string();
                (class, Vec::new(), Some(text), Err(Problem::Dns { name: name.to_string(), rtype, error: e }))
            }
        };
        queries.push(Query { name: name.to_string(), rtype, answer: class, records, error });
        out
    }
}

/// Records the terms after a match as not reached.
fn not_reached(check: &mut Check, rest: impl Iterator<Item = String>, redirect: Option<&DomainSpec>) {
    for term in rest.chain(redirect.map(|r| format!("redirect={r}"))) {
        check.terms.push(TermStep::new(term, TermOutcome::NotReached));
    }
}

fn show_mx(m: &Mx) -> String {
    format!("{} {}", m.preference, m.exchange)
}

/// Whether `name` is `domain` or a subdomain of it (case-insensitive, trailing dots ignored).
fn is_same_or_sub(name: &str, domain: &str) -> bool {
    let n = name.trim_end_matches('.').to_ascii_lowercase();
    let d = domain.trim_end_matches('.').to_ascii_lowercase();
    n == d || (n.len() > d.len() && n.ends_with(&d) && n.as_bytes()[n.len() - d.len() - 1] == b'.')
}

/// TXT data for display: printable ASCII as is, other bytes as `\xNN`.
fn escape_txt(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len());
    for &b in bytes {
        if (0x20..0x7f).contains(&b) && b != b'\\' {
            s.push(char::from(b));
        } else {
            let _ = write!(s, "\\x{b:02x}");
        }
    }
    s
}

impl SpfResult {
    /// temperror or permerror.
    #[must_use]
    pub fn is_error(self) -> bool {
        matches!(self, Self::Temperror | Self::Permerror)
    }
}
