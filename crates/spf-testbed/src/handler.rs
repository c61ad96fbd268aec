//! The request handler: answers from a hickory [`Catalog`] (master files) or
//! a [`StaticZone`], applies the faults, and logs every question.

use std::fmt;
use std::iter;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use async_trait::async_trait;
use hickory_server::net::NetError;
use hickory_server::net::runtime::{Time, TokioTime};
use hickory_server::net::xfer::Protocol;
use hickory_server::proto::op::{Header, HeaderCounts, Message, MessageType, Metadata, OpCode, Query, ResponseCode};
use hickory_server::proto::rr::Record;
use hickory_server::proto::serialize::binary::BinEncoder;
use hickory_server::server::{Request, RequestHandler, ResponseHandler, ResponseInfo};
use hickory_server::zone_handler::{Catalog, MessageResponse, MessageResponseBuilder};

use crate::faults::{Fault, Faults};
use crate::static_zone::StaticAnswerer;

/// How a question reached the test bed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Transport {
    /// Plain DNS over UDP.
    Udp,
    /// Plain DNS over TCP.
    Tcp,
    /// Wire format handed in by [`DnsHandler::answer_wire`] (DNS over HTTPS).
    Https,
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Udp => "UDP",
            Self::Tcp => "TCP",
            Self::Https => "HTTPS",
        })
    }
}

/// One question the test bed received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedQuery {
    /// The name asked, as sent (case kept), without trailing dot.
    pub name: String,
    /// The type mnemonic (`TXT`, `A`, ...).
    pub rtype: String,
    /// How it arrived.
    pub transport: Transport,
    /// The fault applied to it (not counting a truncation that did not
    /// apply because the question came over TCP or HTTPS).
    pub fault: Option<Fault>,
}

impl fmt::Display for LoggedQuery {
    /// `UDP TXT example.com`, with ` (fault)` when one applied.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.transport, self.rtype, self.name)?;
        if let Some(fault) = &self.fault {
            write!(f, " ({fault})")?;
        }
        Ok(())
    }
}

/// Where answers come from.
pub(crate) enum Source {
    Catalog(Catalog),
    Static(StaticAnswerer),
}

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Catalog(_) => f.write_str("Source::Catalog"),
            Self::Static(s) => f.debug_tuple("Source::Static").field(s).finish(),
        }
    }
}

#[derive(Debug)]
struct Inner {
    source: Source,
    faults: RwLock<Faults>,
    log: Mutex<Vec<LoggedQuery>>,
}

/// The test bed's request handler: cheap to clone, shared by the UDP and
/// TCP listeners and by a DNS-over-HTTPS endpoint ([`Self::answer_wire`]).
#[derive(Debug, Clone)]
pub struct DnsHandler {
    inner: Arc<Inner>,
}

/// A [`ResponseHandler`] that keeps the encoded response.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Option<Vec<u8>>>>);

#[async_trait]
impl ResponseHandler for Capture {
    async fn send_response<'a>(
        &mut self,
        response: MessageResponse<
            '_,
            'a,
            impl Iterator<Item = &'a Record> + Send + 'a,
            impl Iterator<Item = &'a Record> + Send + 'a,
            impl Iterator<Item = &'a Record> + Send + 'a,
            impl Iterator<Item = &'a Record> + Send + 'a,
        >,
    ) -> Result<ResponseInfo, NetError> {
        let mut bytes = Vec::with_capacity(512);
        let mut encoder = BinEncoder::new(&mut bytes);
        let info = response.destructive_emit(&mut encoder)?;
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(bytes);
        Ok(info)
    }
}

fn error_response(request: &Metadata, query: Option<&Query>, code: ResponseCode) -> Message {
    let mut metadata = Metadata::response_from_request(request);
    metadata.response_code = code;
    let mut msg = Message::new(metadata.id, MessageType::Response, metadata.op_code);
    msg.metadata = metadata;
    if let Some(q) = query {
        msg.add_query(q.clone());
    }
    msg
}

impl DnsHandler {
    pub(crate) fn new(source: Source, faults: Faults) -> Self {
        Self { inner: Arc::new(Inner { source, faults: RwLock::new(faults), log: Mutex::new(Vec::new()) }) }
    }

    /// Every question received so far, in arrival order.
    #[must_use]
    pub fn queries(&self) -> Vec<LoggedQuery> {
        self.inner.log.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Returns the questions received so far and empties the log.
    pub fn take_queries(&self) -> Vec<LoggedQuery> {
        std::mem::take(&mut *self.inner.log.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The faults in force.
    #[must_use]
    pub fn faults(&self) -> Faults {
        self.inner.faults.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Replaces the faults in force (questions already waiting keep theirs).
    pub fn set_faults(&self, faults: Faults) {
        *self.inner.faults.write().unwrap_or_else(PoisonError::into_inner) = faults;
    }

    /// Answers one wire-format query with a wire-format response, as the
    /// UDP and TCP listeners do (same zones, same faults, same log), for a
    /// DNS-over-HTTPS endpoint. `None` means no answer: the `timeout`
    /// fault, or bytes too short to hold a DNS header (a server drops
    /// those). Delays apply; truncation does not (HTTPS is a stream).
    pub async fn answer_wire(&self, query: &[u8]) -> Option<Vec<u8>> {
        let src = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let request = match Request::from_bytes(query.to_vec(), src, Protocol::Tcp) {
            Ok(r) => r,
            Err(_) => {
                // Unparseable beyond the header: FORMERR, as RFC 1035 §4.1.1 says.
                let header = query.get(..12)?;
                let id = u16::from_be_bytes([header[0], header[1]]);
                let meta = Metadata::new(id, MessageType::Query, OpCode::Query);
                return error_response(&meta, None, ResponseCode::FormErr).to_vec().ok();
            }
        };
        let msg = self.respond::<TokioTime>(&request, Transport::Https).await?;
        // A response that cannot be encoded is a server failure.
        Some(msg.to_vec().unwrap_or_else(|_| {
            error_response(&request.metadata, None, ResponseCode::ServFail).to_vec().unwrap_or_default()
        }))
    }

    /// The response to `request`, after faults; `None` when none is sent.
    async fn respond<T: Time>(&self, request: &Request, transport: Transport) -> Option<Message> {
        let queries = request.queries.queries();
        let first = queries.first().map(|q| q.original().clone());
        let plan = match &first {
            Some(q) => {
                let name = q.name().to_ascii();
                let name = name.strip_suffix('.').unwrap_or(&name).to_string();
                let plan = self.faults().plan(&name, q.query_type());
                let applied = match plan.fault {
                    Some(Fault::Truncate) if transport != Transport::Udp => None,
                    Some(f) => Some(f),
                    None if !plan.delay.is_zero() => Some(Fault::Delay(plan.delay)),
                    None => None,
                };
                self.inner.log.lock().unwrap_or_else(PoisonError::into_inner).push(LoggedQuery {
                    name,
                    rtype: q.query_type().to_string(),
                    transport,
                    fault: applied,
                });
                plan
            }
            None => Default::default(),
        };
        if !plan.delay.is_zero() {
            tokio::time::sleep(plan.delay).await;
        }
        match plan.fault {
            Some(Fault::Timeout) => return None,
            Some(Fault::ServFail) => {
                return Some(error_response(&request.metadata, first.as_ref(), ResponseCode::ServFail));
            }
            Some(Fault::Refused) => {
                return Some(error_response(&request.metadata, first.as_ref(), ResponseCode::Refused));
            }
            _ => {}
        }
        let Some(query) = first.filter(|_| queries.len() == 1) else {
            // RFC 9619: a query with other than one question is a format error.
            return Some(error_response(&request.metadata, None, ResponseCode::FormErr));
        };
        let mut msg = match &self.inner.source {
            Source::Static(zone) => zone.answer(&request.metadata, &query),
            Source::Catalog(catalog) => {
                let capture = Capture::default();
                catalog.handle_request::<_, T>(request, capture.clone()).await;
                let bytes = capture.0.lock().unwrap_or_else(PoisonError::into_inner).take();
                match bytes.as_deref().map(Message::from_vec) {
                    Some(Ok(m)) => m,
                    _ => error_response(&request.metadata, Some(&query), ResponseCode::ServFail),
                }
            }
        };
        if plan.fault == Some(Fault::Truncate) && transport == Transport::Udp {
            // RFC 1035 §4.1.1 TC; RFC 7766 §5: the client retries over TCP.
            msg.metadata.truncation = true;
            msg.answers.clear();
            msg.authorities.clear();
            msg.additionals.clear();
        }
        Some(msg)
    }
}

#[async_trait]
impl RequestHandler for DnsHandler {
    async fn handle_request<R: ResponseHandler, T: Time>(
        &self,
        request: &Request,
        mut response_handle: R,
    ) -> ResponseInfo {
        let transport = if request.protocol() == Protocol::Udp { Transport::Udp } else { Transport::Tcp };
        let unsent = || {
            let mut metadata = Metadata::response_from_request(&request.metadata);
            metadata.response_code = ResponseCode::ServFail;
            ResponseInfo::from(Header { metadata, counts: HeaderCounts::default() })
        };
        let Some(msg) = self.respond::<T>(request, transport).await else {
            return unsent();
        };
        let response = MessageResponseBuilder::new(&request.queries, msg.edns.as_ref()).build(
            msg.metadata,
            msg.answers.iter(),
            msg.authorities.iter(),
            iter::empty(),
            msg.additionals.iter(),
        );
        response_handle.send_response(response).await.unwrap_or_else(|_| unsent())
    }
}
