package org.tcpsplice.onos;

import static org.junit.Assert.assertEquals;

import java.io.File;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The features module's descriptor names this app's bundle and what ONOS must provide, as the .oar's does. */
public class FeaturesDescriptorTest {
    @Test
    public void theFeatureInstallsThisBundleOnTopOfOnosApi() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(new File("../features/src/main/features/features.xml"));
        Element root = doc.getDocumentElement();
        assertEquals("http://karaf.apache.org/xmlns/features/v1.2.0", root.getNamespaceURI());
        Element feature = (Element) root.getElementsByTagNameNS("*", "feature").item(0);
        assertEquals("tcpsplice", feature.getAttribute("name"));
        assertEquals("onos-api", ((Element) feature.getElementsByTagNameNS("*", "feature").item(0)).getTextContent());
        assertEquals("mvn:org.tcpsplice/onos-app/${project.version}",
                feature.getElementsByTagNameNS("*", "bundle").item(0).getTextContent());
    }
}
