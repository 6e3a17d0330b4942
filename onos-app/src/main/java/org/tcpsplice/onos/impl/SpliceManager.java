package org.tcpsplice.onos.impl;

import org.onosproject.core.ApplicationId;
import org.onosproject.core.CoreService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ONOS side of tcpsplice. NOT FINISHED: registers the application only (issue 4). */
@Component(immediate = true)
public class SpliceManager {
    static final String APP_NAME = "org.tcpsplice.app";
    private final Logger log = LoggerFactory.getLogger(getClass());

    @Reference(cardinality = ReferenceCardinality.MANDATORY)
    protected CoreService coreService;

    private ApplicationId appId;

    @Activate
    protected void activate() {
        appId = coreService.registerApplication(APP_NAME);
        log.info("tcpsplice started as {}", appId);
    }

    @Deactivate
    protected void deactivate() {
        log.info("tcpsplice stopped");
    }

    ApplicationId appId() {
        return appId;
    }
}
