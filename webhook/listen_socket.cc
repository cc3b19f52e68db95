#include "webhook/listen_socket.h"

#include <httplib.h>
#include <sys/socket.h>

namespace wache::webhook {

ListenSocket::ListenSocket(httplib::Server& server) {
  server.set_socket_options([fd = fd_](int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    // httplib tries each address of the host in turn; the last socket it set up is the one
    // that was bound (or none was).
    fd->store(sock);
  });
}

bool ListenSocket::Widen() const {
  const int sock = fd_->load();
  // listen() on a listening socket only changes its backlog.
  return sock >= 0 && ::listen(sock, kBacklog) == 0;
}

}  // namespace wache::webhook
