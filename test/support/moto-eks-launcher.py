"""moto 5.2.1 for the eks deploy scripts: every EKS cluster it creates answers with the endpoint and certificate of
the Kubernetes API stand-in the test started (MOTO_EKS_ENDPOINT, MOTO_EKS_CA_DATA), instead of a random host name
and random bytes, so that `aws eks update-kubeconfig` writes a kubeconfig kubectl can really use. Nothing else of moto
changes. Serves like moto_server (argv: --port N)."""
import os
import sys

from moto.eks import models as eks_models
from moto.server import main

ENDPOINT = os.environ["MOTO_EKS_ENDPOINT"]
CA_DATA = os.environ["MOTO_EKS_CA_DATA"]

_init = eks_models.Cluster.__init__


def cluster_init(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    self.endpoint = ENDPOINT
    self.certificate_authority = {"data": CA_DATA}


eks_models.Cluster.__init__ = cluster_init

if __name__ == "__main__":
    arguments = sys.argv[1:]
    if "--host" not in arguments and "-H" not in arguments:
        arguments = ["--host", "127.0.0.1", *arguments]
    main(arguments)
